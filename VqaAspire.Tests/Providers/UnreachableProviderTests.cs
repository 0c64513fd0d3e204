using System.ClientModel;
using System.Text;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Providers;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Providers;

/// <summary>
/// An endpoint nobody listens on fails as the provider's own failures do (a <see cref="ClientResultException"/>, status 0),
/// which every step handles, not as the SDK's AggregateException of spent retries, which ended whole evaluations.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class UnreachableProviderTests
{
    [Fact]
    public async Task AnEndpointNobodyListensOnFailsAsAClientResultWithNoStatus()
    {
        var provider = new OpenAIModelProvider(Options.Create(new ProviderOptions { Kind = "openai-compatible", Endpoint = "http://127.0.0.1:9/v1", MaxRetries = 1 }));

        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            provider.CompleteChatAsync("llama3.1", Encoding.UTF8.GetBytes("""[{"role":"user","content":"Who wrote this book?"}]"""), new ChatAnswerOptions(0, 42, 10), CancellationToken.None));

        Assert.Equal(0, failure.Status);
        Assert.IsType<HttpRequestException>(failure.InnerException);
    }
}
