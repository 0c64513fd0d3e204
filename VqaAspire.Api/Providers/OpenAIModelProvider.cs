using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.Options;
using OpenAI;

namespace VqaAspire.Api.Providers;

/// <summary><see cref="IModelProvider"/> over the official OpenAI SDK, for OpenAI, Azure OpenAI (v1 route), the emulator and compatible servers.</summary>
public sealed class OpenAIModelProvider : IModelProvider
{
    private readonly Lazy<OpenAIClient> _client;

    public OpenAIModelProvider(IOptions<ProviderOptions> options)
    {
        Settings = options.Value;
        // Built on first use, so settings that cannot work surface as a status, not a failed start.
        _client = new Lazy<OpenAIClient>(() => Settings.Problem() is { } problem
            ? throw new InvalidOperationException(problem)
            : CreateClient(Settings));
    }

    public ProviderOptions Settings { get; }

    public async Task<IReadOnlyList<string>> ListModelIdsAsync(CancellationToken cancellationToken)
    {
        var models = await _client.Value.GetOpenAIModelClient().GetModelsAsync(cancellationToken);
        return [.. models.Value.Select(m => m.Id)];
    }

    internal static OpenAIClient CreateClient(ProviderOptions settings)
    {
        var options = new OpenAIClientOptions { Endpoint = settings.ResolveEndpoint() };
        // Local servers accept any key, but the SDK insists on one.
        var key = string.IsNullOrWhiteSpace(settings.ApiKey) ? "no-key" : settings.ApiKey;
        if (settings.ProviderKind == ProviderKind.Azure)
        {
            // Azure OpenAI authenticates keys through the api-key header.
            options.AddPolicy(new AzureApiKeyPolicy(key), PipelinePosition.PerCall);
        }

        return new OpenAIClient(new ApiKeyCredential(key), options);
    }

    private sealed class AzureApiKeyPolicy(string key) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("api-key", key);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("api-key", key);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
