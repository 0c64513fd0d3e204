using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Caching;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Status;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Api;

[Trait("Category", TestCategories.Unit)]
public sealed class StatusServiceTests(GarnetFixture cache) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task ChecksAtTheSameMomentAllFindTheCacheAnswering()
    {
        // Twenty dashboards opening Home at once (found by LoadTests): each check must read back its own write.
        var provider = new OpenAIModelProvider(Options.Create(new ProviderOptions { Kind = "emulator", Endpoint = "http://127.0.0.1:9/v1", ApiKey = "k", MaxRetries = 0 }));
        var status = new StatusService(cache.Redis, provider, Options.Create(new CacheOptions { Mode = "embedded" }), TimeProvider.System,
            NullLogger<StatusService>.Instance);

        var checks = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => status.CheckAsync(CancellationToken.None)));

        Assert.All(checks, c => Assert.True(c.Cache.Answers, c.Cache.Error));
    }
}
