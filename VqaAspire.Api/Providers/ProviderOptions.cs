using VqaAspire.Api.Providers.Azure;

namespace VqaAspire.Api.Providers;

/// <summary>Which OpenAI-shaped service the pipeline talks to. Set by the AppHost's provider parameters.</summary>
public sealed class ProviderOptions
{
    public const string SectionName = "Provider";

    /// <summary>openai, azure, emulator or openai-compatible.</summary>
    public string Kind { get; set; } = "emulator";

    /// <summary>Base URL of the API: empty means api.openai.com for OpenAI; the emulator's <c>/v1</c> URL for the emulator.</summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// The emulator deployed with the app (its <c>/v1</c> URL), for the emulator kind when <see cref="Endpoint"/> is empty:
    /// a deployment chooses the kind and the endpoint at deploy time, so the AppHost passes this address as well.
    /// </summary>
    public string? EmulatorEndpoint { get; set; }

    /// <summary>The secret key. Read only where a client is built; never logged, traced or returned. Azure OpenAI with Provider:Azure:Auth=entra-id ignores it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Files up to this size go through the Files API; larger ones through the Uploads API in parts (OpenAI: 512 MB).</summary>
    public long FilesApiMaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Retries of a 429 or 5xx before a step fails.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>
    /// Azure OpenAI only: where training runs, Standard, GlobalStandard or developerTier (sent as <c>trainingType</c>, spelled
    /// as Azure's samples spell it; "Developer" reads as developerTier). Global is cheaper than regional, Developer cheaper
    /// still but pre-emptible.
    /// </summary>
    public string AzureTrainingType { get; set; } = "GlobalStandard";

    /// <summary>Azure OpenAI only: deployment names by role, and the account the app deploys fine-tuned models to.</summary>
    public AzureProviderOptions Azure { get; set; } = new();

    public bool IsAzure => ProviderKinds.TryParse(Kind, out var kind) && kind == ProviderKind.Azure;

    public static readonly Uri OpenAIDefaultEndpoint = new("https://api.openai.com/v1");

    public ProviderKind ProviderKind => ProviderKinds.Parse(Kind);

    public bool IsEmulated => ProviderKind == ProviderKind.Emulator;

    public Uri ResolveEndpoint()
    {
        var endpoint = EffectiveEndpoint?.Trim().TrimEnd('/');
        return ProviderKind switch
        {
            ProviderKind.OpenAI when string.IsNullOrEmpty(endpoint) => OpenAIDefaultEndpoint,
            // Azure OpenAI's v1 route takes the OpenAI SDK as it is.
            ProviderKind.Azure when !endpoint!.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase) => new Uri(endpoint + "/openai/v1"),
            _ => new Uri(endpoint!),
        };
    }

    /// <summary><see cref="Endpoint"/>, else the deployed emulator's for the emulator kind.</summary>
    private string? EffectiveEndpoint =>
        string.IsNullOrWhiteSpace(Endpoint) && ProviderKinds.TryParse(Kind, out var kind) && kind == ProviderKind.Emulator
            ? EmulatorEndpoint
            : Endpoint;

    /// <summary>The endpoint's host and port: safe to show, unlike a URL that might carry credentials.</summary>
    public string EndpointHost
    {
        get
        {
            var uri = ResolveEndpoint();
            return uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        }
    }

    /// <summary>Why these settings cannot work, or null when they can.</summary>
    public string? Problem()
    {
        if (!ProviderKinds.TryParse(Kind, out var kind))
        {
            return $"Provider:Kind '{Kind}' is not one of {string.Join(", ", ProviderKinds.Names)}.";
        }

        var endpoint = EffectiveEndpoint;
        if (kind != ProviderKind.OpenAI && string.IsNullOrWhiteSpace(endpoint))
        {
            return $"Provider:Endpoint is required for the {Kind} provider.";
        }

        if (!string.IsNullOrWhiteSpace(endpoint) && !Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out _))
        {
            return "Provider:Endpoint is not an absolute URL.";
        }

        if (kind is ProviderKind.OpenAI && string.IsNullOrWhiteSpace(ApiKey))
        {
            return $"The {Kind} provider needs a key (the AppHost parameter openai-key).";
        }

        // Azure OpenAI signs in with Entra ID only when told to: a missing key is not taken as that choice.
        if (kind is ProviderKind.Azure && !Azure.UsesEntraId && string.IsNullOrWhiteSpace(ApiKey))
        {
            return $"The {Kind} provider needs a key (the AppHost parameter openai-key), or azure-auth={AzureProviderOptions.EntraIdAuth} (Provider:Azure:Auth) to sign in with Entra ID: the app's managed identity when deployed, az login locally.";
        }

        return kind == ProviderKind.Azure ? Azure.Problem(AzureTrainingType) : null;
    }
}
