namespace Aspire.Hosting;

/// <summary>The provider as chosen by the AppHost parameters.</summary>
/// <remarks>
/// Run locally, the kind is known when the AppHost starts. Published (azd), it is chosen at deployment: <see cref="KindParameter"/>
/// is then set and the api gets every parameter, plus the deployed emulator's address for the emulator kind.
/// </remarks>
public sealed record VqaProvider(
    string Kind,
    IResourceBuilder<ParameterResource>? Endpoint,
    IResourceBuilder<ParameterResource>? Key,
    IResourceBuilder<ProjectResource> Emulator,
    IResourceBuilder<ParameterResource>? KindParameter = null);

public static class ProviderResourceExtensions
{
    public const string KindParameter = "openai-kind";
    public const string EndpointParameter = "openai-endpoint";
    public const string KeyParameter = "openai-key";

    private static readonly string[] Kinds = ["emulator", "openai", "azure", "openai-compatible"];

    /// <summary>
    /// Reads the provider parameters: <c>openai-kind</c> (emulator when no key is set, openai when one is),
    /// <c>openai-endpoint</c> and the secret <c>openai-key</c>.
    /// </summary>
    public static VqaProvider AddProviderParameters(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> emulator)
    {
        var configuredKey = builder.Configuration[$"Parameters:{KeyParameter}"];
        var kind = ResolveKind(builder.Configuration[$"Parameters:{KindParameter}"], keyIsSet: !string.IsNullOrWhiteSpace(configuredKey));

        var kindParameter = builder.AddParameter(KindParameter, kind, publishValueAsDefault: true)
            .WithDescription("The provider: emulator, openai, azure or openai-compatible.");

        IResourceBuilder<ParameterResource>? endpoint = null;
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Chosen at deployment for any kind: empty means the provider's default (api.openai.com, the deployed emulator).
            endpoint = builder.AddParameter(EndpointParameter, builder.Configuration[$"Parameters:{EndpointParameter}"] ?? "", publishValueAsDefault: true)
                .WithDescription("Base URL of the provider (Azure: https://RESOURCE.openai.azure.com); empty for OpenAI or the emulator.");
        }
        else if (kind != "emulator")
        {
            var configuredEndpoint = builder.Configuration[$"Parameters:{EndpointParameter}"];
            endpoint = configuredEndpoint is null && kind == "openai"
                ? null // the SDK's default, api.openai.com
                : builder.AddParameter(EndpointParameter)
                    .WithDescription("Base URL of the provider (Azure: https://RESOURCE.openai.azure.com).");
        }

        // OpenAI always needs a key: Aspire asks for it in its dashboard when it is missing. Azure OpenAI without one
        // signs in with Entra ID. Publishing always declares it, so a deployment can switch to a real provider.
        IResourceBuilder<ParameterResource>? key = null;
        if (kind is "openai" || !string.IsNullOrWhiteSpace(configuredKey) || builder.ExecutionContext.IsPublishMode)
        {
            key = builder.AddParameter(KeyParameter, secret: true)
                .WithDescription("API key of the provider. Secret: it reaches the api only.");
        }

        return builder.ExecutionContext.IsPublishMode
            ? new VqaProvider(kind, endpoint, key, emulator, kindParameter)
            : new VqaProvider(kind, endpoint, key, emulator);
    }

    /// <summary>Gives the service the provider settings and waits for the emulator when it is the provider.</summary>
    public static IResourceBuilder<ProjectResource> WithProvider(this IResourceBuilder<ProjectResource> service, VqaProvider provider)
    {
        if (provider.KindParameter is not null)
        {
            // A deployment: the kind and endpoint are parameters; the emulator's address is there for the emulator kind.
            var deployedEmulatorUrl = provider.Emulator.GetEndpoint("http");
            service.WithEnvironment("Provider__Kind", provider.KindParameter)
                .WithEnvironment("Provider__Endpoint", provider.Endpoint!)
                .WithEnvironment("Provider__EmulatorEndpoint", ReferenceExpression.Create($"{deployedEmulatorUrl}/v1"))
                .WithEnvironment("Provider__ApiKey", provider.Key!);
            return service;
        }

        service.WithEnvironment("Provider__Kind", provider.Kind);

        if (provider.Kind == "emulator")
        {
            var emulatorUrl = provider.Emulator.GetEndpoint("http");
            service.WithEnvironment("Provider__Endpoint", ReferenceExpression.Create($"{emulatorUrl}/v1"))
                .WaitFor(provider.Emulator);
        }
        else if (provider.Endpoint is not null)
        {
            service.WithEnvironment("Provider__Endpoint", provider.Endpoint);
        }

        if (provider.Key is not null)
        {
            service.WithEnvironment("Provider__ApiKey", provider.Key);
        }

        return service;
    }

    internal static string ResolveKind(string? configured, bool keyIsSet)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return keyIsSet ? "openai" : "emulator";
        }

        var kind = configured.Trim().ToLowerInvariant();
        return Kinds.Contains(kind)
            ? kind
            : throw new InvalidOperationException($"Parameter {KindParameter} '{configured}' is not one of {string.Join(", ", Kinds)}.");
    }
}
