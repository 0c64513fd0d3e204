using Microsoft.Extensions.Configuration;

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
    IResourceBuilder<ParameterResource>? KindParameter = null,
    IReadOnlyList<(string Setting, IResourceBuilder<ParameterResource> Parameter)>? AzureSettings = null)
{
    /// <summary>Whether the api talks to the emulator: kind emulator or azure-emulator, or any kind once published (chosen at deployment).</summary>
    public bool UsesEmulator => KindParameter is not null || Kind is "emulator" or "azure-emulator";
}

public static class ProviderResourceExtensions
{
    public const string KindParameter = "openai-kind";
    public const string EndpointParameter = "openai-endpoint";
    public const string KeyParameter = "openai-key";

    private static readonly string[] Kinds = ["emulator", "openai", "azure", "openai-compatible", "azure-emulator"];

    public const string AzureAuthParameter = "azure-auth";

    /// <summary>
    /// azure: the api's Provider:Azure settings, each an AppHost parameter. Empty unless set, which the api reads as its
    /// default; published, they are declared whatever the kind, since azd chooses the kind at deployment.
    /// </summary>
    private static readonly (string Parameter, string Setting, string Description)[] AzureParameters =
    [
        (AzureAuthParameter, "Provider__Azure__Auth", "How the api signs in to Azure OpenAI: key (the openai-key parameter) or entra-id (Microsoft Entra ID: the app's managed identity when deployed, az login locally; the identity needs a role on the resource)."),
        ("azure-base-deployment", "Provider__Azure__BaseDeployment", "Deployment answering as the base model in evaluations of gpt-4o runs."),
        ("azure-gpt41-base-deployment", "Provider__Azure__Gpt41BaseDeployment", "Deployment answering as the base model in evaluations of gpt-4.1 runs (empty: such evaluations are refused, naming this parameter)."),
        ("azure-judge-deployment", "Provider__Azure__JudgeDeployment", "Deployment grading open-ended answers."),
        ("azure-batch-deployment", "Provider__Azure__BatchDeployment", "GlobalBatch deployment of the base model, for batch evaluations (empty: sync)."),
        ("azure-training-type", "Provider__AzureTrainingType", "Standard, GlobalStandard or developerTier (the spelling Azure's samples send)."),
        ("azure-subscription", "Provider__Azure__SubscriptionId", "Subscription of the Azure OpenAI resource, to deploy fine-tunes from the app (empty: deploy by hand)."),
        ("azure-resource-group", "Provider__Azure__ResourceGroup", "Resource group of the Azure OpenAI resource."),
        ("azure-account", "Provider__Azure__Account", "Name of the Azure OpenAI resource."),
        ("azure-deployment-sku", "Provider__Azure__DeploymentSku", "Deployment type of fine-tunes: Standard, GlobalStandard or DeveloperTier (GPT-4.1 only)."),
        ("azure-deployment-capacity", "Provider__Azure__DeploymentCapacity", "Capacity of a fine-tune's deployment."),
    ];

    /// <summary>azure-emulator: the emulated account and its deployments (base, judge, and a GlobalBatch one for batch).</summary>
    private static readonly (string Setting, string Value)[] AzureEmulatorApiSettings =
    [
        ("Provider__Azure__BaseDeployment", "gpt-4o"),
        ("Provider__Azure__Gpt41BaseDeployment", "gpt-4.1"),
        ("Provider__Azure__JudgeDeployment", "gpt-4o-judge"),
        ("Provider__Azure__BatchDeployment", "gpt-4o-batch"),
        ("Provider__Azure__SubscriptionId", "00000000-0000-0000-0000-000000000000"),
        ("Provider__Azure__ResourceGroup", "vqa-rg"),
        ("Provider__Azure__Account", "vqa-openai"),
        ("Provider__Azure__DeploymentSku", "GlobalStandard"),
    ];

    private static readonly (string Setting, string Value)[] AzureEmulatorSettings =
    [
        ("Emulator__Azure__SubscriptionId", "00000000-0000-0000-0000-000000000000"),
        ("Emulator__Azure__ResourceGroup", "vqa-rg"),
        ("Emulator__Azure__Account", "vqa-openai"),
        ("Emulator__Azure__Deployments__0__Name", "gpt-4o"),
        ("Emulator__Azure__Deployments__0__Model", "gpt-4o-2024-08-06"),
        ("Emulator__Azure__Deployments__1__Name", "gpt-4o-judge"),
        ("Emulator__Azure__Deployments__1__Model", "gpt-4o-2024-08-06"),
        ("Emulator__Azure__Deployments__2__Name", "gpt-4o-batch"),
        ("Emulator__Azure__Deployments__2__Model", "gpt-4o-2024-08-06"),
        ("Emulator__Azure__Deployments__2__Sku", "GlobalBatch"),
        ("Emulator__Azure__Deployments__3__Name", "gpt-4.1"),
        ("Emulator__Azure__Deployments__3__Model", "gpt-4.1-2025-04-14"),
    ];

    /// <summary>
    /// Reads the provider parameters: <c>openai-kind</c> (emulator when no key is set, openai when one is),
    /// <c>openai-endpoint</c> and the secret <c>openai-key</c>.
    /// </summary>
    public static VqaProvider AddProviderParameters(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> emulator)
    {
        var configuredKey = builder.Configuration[$"Parameters:{KeyParameter}"];
        var kind = ResolveKind(builder.Configuration[$"Parameters:{KindParameter}"], keyIsSet: !string.IsNullOrWhiteSpace(configuredKey));

        var kindParameter = builder.AddParameter(KindParameter, kind, publishValueAsDefault: true)
            .WithDescription("The provider: emulator, openai, azure, openai-compatible, or azure-emulator (the emulator under Azure OpenAI's rules).");

        IResourceBuilder<ParameterResource>? endpoint = null;
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Chosen at deployment for any kind: empty means the provider's default (api.openai.com, the deployed emulator).
            endpoint = builder.AddParameter(EndpointParameter, builder.Configuration[$"Parameters:{EndpointParameter}"] ?? "", publishValueAsDefault: true)
                .WithDescription("Base URL of the provider (Azure: https://RESOURCE.openai.azure.com); empty for OpenAI or the emulator.");
        }
        else if (kind is not ("emulator" or "azure-emulator"))
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

        List<(string, IResourceBuilder<ParameterResource>)>? azure = null;
        if (builder.ExecutionContext.IsPublishMode || kind == "azure")
        {
            // Published, each value is the manifest's default, so azd asks for none of them and an emulator deployment is
            // not held up by Azure's; `azd env set AZURE_AZURE_ACCOUNT ...` (and so on) fills them in.
            azure = [.. AzureParameters.Select(p => (p.Setting, builder
                .AddParameter(p.Parameter, builder.Configuration[$"Parameters:{p.Parameter}"] ?? (p.Parameter == AzureAuthParameter ? "key" : ""), publishValueAsDefault: builder.ExecutionContext.IsPublishMode)
                .WithDescription(p.Description)))];
        }
        else if (!builder.ExecutionContext.IsPublishMode && kind == "azure-emulator")
        {
            // A fresh token per start, which the emulator accepts as an Entra ID token; a secret, so the dashboard masks it.
            var token = builder.AddParameter("azure-emulator-token", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)), secret: true)
                .WithDescription("The bearer token the emulator's Azure surfaces accept (azure-emulator only).");
            azure = [("Provider__Azure__EmulatorToken", token), ("Emulator__Azure__Token", token)];
        }

        return builder.ExecutionContext.IsPublishMode
            ? new VqaProvider(kind, endpoint, key, emulator, kindParameter, azure)
            : new VqaProvider(kind, endpoint, key, emulator, AzureSettings: azure);
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
            foreach (var (setting, parameter) in provider.AzureSettings ?? [])
            {
                service.WithEnvironment(setting, parameter);
            }

            return service;
        }

        if (provider.Kind == "azure-emulator")
        {
            return service.WithAzureEmulator(provider);
        }

        service.WithEnvironment("Provider__Kind", provider.Kind);
        foreach (var (setting, parameter) in provider.AzureSettings ?? [])
        {
            service.WithEnvironment(setting, parameter);
        }

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

    /// <summary>
    /// azure-emulator: the api talks Azure OpenAI (kind azure) to the emulator's Azure surfaces, the data plane with a
    /// key in the api-key header and Resource Manager with a bearer token, so the whole pipeline runs under Azure's rules offline.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithAzureEmulator(this IResourceBuilder<ProjectResource> service, VqaProvider provider)
    {
        var emulatorUrl = provider.Emulator.GetEndpoint("http");
        service.WithEnvironment("Provider__Kind", "azure")
            .WithEnvironment("Provider__Endpoint", emulatorUrl)
            .WithEnvironment("Provider__ApiKey", "azure-emulator-key")
            .WithEnvironment("Provider__Azure__ManagementEndpoint", emulatorUrl)
            .WaitFor(provider.Emulator);
        foreach (var (setting, value) in AzureEmulatorApiSettings)
        {
            service.WithEnvironment(setting, value);
        }

        foreach (var (setting, value) in AzureEmulatorSettings)
        {
            provider.Emulator.WithEnvironment(setting, value);
        }

        foreach (var (setting, parameter) in provider.AzureSettings ?? [])
        {
            (setting.StartsWith("Emulator__", StringComparison.Ordinal) ? provider.Emulator : service).WithEnvironment(setting, parameter);
        }

        return service;
    }

    /// <summary>
    /// Gives the service the other providers an evaluation may ask by name, from the AppHost's configuration
    /// <c>OtherProviders:{name}:Kind</c>, <c>Endpoint</c>, <c>ApiKey</c>, <c>Azure:*</c>: each key becomes the secret parameter
    /// <c>{name}-provider-key</c>, so like <c>openai-key</c> it reaches this service alone and the dashboard masks it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOtherProviders(this IResourceBuilder<ProjectResource> service)
    {
        var builder = service.ApplicationBuilder;
        foreach (var other in builder.Configuration.GetSection("OtherProviders").GetChildren())
        {
            foreach (var (setting, value) in other.AsEnumerable(makePathsRelative: true).Where(s => s.Value is not null))
            {
                var variable = $"OtherProviders__{other.Key}__{setting.Replace(":", "__", StringComparison.Ordinal)}";
                if (setting.Equals("ApiKey", StringComparison.OrdinalIgnoreCase))
                {
                    service.WithEnvironment(variable, builder.AddParameter($"{other.Key}-provider-key", value!, secret: true)
                        .WithDescription($"API key of the provider '{other.Key}' that evaluations may ask. Secret: it reaches the api only."));
                }
                else
                {
                    service.WithEnvironment(variable, value);
                }
            }
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
