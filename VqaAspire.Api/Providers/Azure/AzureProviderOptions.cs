namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// Azure OpenAI's own settings (<c>Provider:Azure</c>): the deployment each role uses, and the account that the app
/// deploys fine-tuned models to through Resource Manager.
/// </summary>
public sealed class AzureProviderOptions
{
    /// <summary>The deployment answering as the base model in evaluations of gpt-4o runs (Azure wants deployment names where OpenAI takes model names).</summary>
    public string? BaseDeployment { get; set; }

    /// <summary>The deployment answering as the base model in evaluations of gpt-4.1 runs: a gpt-4o deployment is never asked in its place.</summary>
    public string? Gpt41BaseDeployment { get; set; }

    private const string BaseDeploymentSetting = "Provider:Azure:BaseDeployment, AppHost parameter azure-base-deployment";

    private const string Gpt41BaseDeploymentSetting = "Provider:Azure:Gpt41BaseDeployment, AppHost parameter azure-gpt41-base-deployment";

    /// <summary>The deployment of the base model's family, and the setting that names it; Deployment null when that setting is empty.</summary>
    /// <param name="baseModel">The run's base snapshot; null for the default gpt-4o.</param>
    public (string? Deployment, string Setting) BaseDeploymentFor(string? baseModel) =>
        baseModel is not null && AzureRules.IsGpt41Family(baseModel)
            ? (Blank(Gpt41BaseDeployment), Gpt41BaseDeploymentSetting)
            : (Blank(BaseDeployment), BaseDeploymentSetting);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The deployment grading open-ended answers.</summary>
    public string? JudgeDeployment { get; set; }

    /// <summary>A GlobalBatch deployment of the base model, for batch evaluations (Azure's Batch API takes no other).</summary>
    public string? BatchDeployment { get; set; }

    /// <summary>
    /// How the api signs in to Azure OpenAI's data plane: <see cref="KeyAuth"/> (Provider:ApiKey in the api-key header) or
    /// <see cref="EntraIdAuth"/> (DefaultAzureCredential: the app's managed identity when deployed, az login locally).
    /// An explicit choice, so a forgotten key is an error rather than a silent switch to Entra ID.
    /// </summary>
    public string Auth { get; set; } = KeyAuth;

    public const string KeyAuth = "key";

    public const string EntraIdAuth = "entra-id";

    public bool UsesEntraId => string.Equals(Auth?.Trim(), EntraIdAuth, StringComparison.OrdinalIgnoreCase);

    public string? SubscriptionId { get; set; }

    public string? ResourceGroup { get; set; }

    /// <summary>The Azure OpenAI resource (account) name.</summary>
    public string? Account { get; set; }

    /// <summary>
    /// The deployment type of fine-tuned models the app deploys: Standard, GlobalStandard or DeveloperTier (Resource
    /// Manager's SKU names; fine-tuning-deploy, fine-tune-test). A run may ask for another.
    /// </summary>
    public string DeploymentSku { get; set; } = "GlobalStandard";

    /// <summary>
    /// Thousands of tokens per minute the deployment may serve (Azure's capacity unit for Standard and Global deployments:
    /// 1 = 1,000 TPM and about 6 requests a minute, which makes an image evaluation crawl). 50 is fine-tune-test's sample.
    /// </summary>
    public int DeploymentCapacity { get; set; } = 50;

    /// <summary>Tokens per minute the deployment serves: capacity x 1,000.</summary>
    public long DeploymentTokensPerMinute => DeploymentCapacity * 1000L;

    /// <summary>Resource Manager; the emulator's address in azure-emulator mode.</summary>
    public string ManagementEndpoint { get; set; } = "https://management.azure.com";

    /// <summary>Microsoft.CognitiveServices' stable api-version for deployments; DeveloperTier ones use <see cref="AzureRules.DeveloperTierApiVersion"/>.</summary>
    public string ManagementApiVersion { get; set; } = "2024-10-01";

    /// <summary>The api-version a deployment of this SKU is made with: the Developer sample's newer one for DeveloperTier.</summary>
    public string ApiVersionFor(string sku) => AzureRules.IsDeveloperTier(sku) ? AzureRules.DeveloperTierApiVersion : ManagementApiVersion;

    /// <summary>
    /// azure-emulator only: the bearer token the emulator accepts, used instead of <c>DefaultAzureCredential</c>.
    /// Secret: read where a request is signed, never logged.
    /// </summary>
    public string? EmulatorToken { get; set; }

    /// <summary>How long the upload step waits for Azure to process (screen) the uploaded files.</summary>
    public TimeSpan FileProcessingTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often reading a run asks Resource Manager about its deployment again (an evaluation always asks first).</summary>
    public TimeSpan DeploymentCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the app waits for a deployment to reach Succeeded.</summary>
    public TimeSpan DeploymentTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether the app can deploy fine-tuned models itself (the account is named).</summary>
    public bool CanDeploy => !string.IsNullOrWhiteSpace(SubscriptionId) && !string.IsNullOrWhiteSpace(ResourceGroup) && !string.IsNullOrWhiteSpace(Account);

    /// <summary>The account's Resource Manager id.</summary>
    public string AccountPath => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.CognitiveServices/accounts/{Account}";

    /// <summary>The deployment names missing for an evaluation, in words; null when all are set.</summary>
    /// <param name="baseModel">The run's base snapshot (its family chooses the base deployment); null for the default gpt-4o.</param>
    public string? MissingDeployments(bool batch, string? baseModel = null)
    {
        var missing = new List<string>();
        if (BaseDeploymentFor(baseModel) is (null, var setting))
        {
            missing.Add(baseModel is not null && AzureRules.IsGpt41Family(baseModel) ? $"the base model {baseModel}'s ({setting})" : $"the base model's ({setting})");
        }

        if (string.IsNullOrWhiteSpace(JudgeDeployment))
        {
            missing.Add("the judge's (Provider:Azure:JudgeDeployment, AppHost parameter azure-judge-deployment)");
        }

        if (batch && string.IsNullOrWhiteSpace(BatchDeployment))
        {
            missing.Add("the batch model's (Provider:Azure:BatchDeployment, AppHost parameter azure-batch-deployment)");
        }

        return missing.Count == 0 ? null
            : $"Azure OpenAI answers through deployments, and no deployment name is set for {string.Join(", nor for ", missing)}.";
    }

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? Problem(string trainingType) =>
        !UsesEntraId && !string.Equals(Auth?.Trim(), KeyAuth, StringComparison.OrdinalIgnoreCase)
            ? $"Provider:Azure:Auth (AppHost parameter azure-auth) '{Auth}' is not one of {KeyAuth}, {EntraIdAuth}."
        : AzureRules.TrainingType(trainingType) is null
            ? $"Provider:AzureTrainingType '{trainingType}' is not one of {string.Join(", ", AzureRules.TrainingTypes)}."
        : AzureRules.DeploymentSku(DeploymentSku) is null
            ? $"Provider:Azure:DeploymentSku '{DeploymentSku}' is not one of {string.Join(", ", AzureRules.FineTunedDeploymentSkus)}."
        : DeploymentCapacity < 1 ? "Provider:Azure:DeploymentCapacity must be at least 1."
        : !Uri.TryCreate(ManagementEndpoint, UriKind.Absolute, out _) ? "Provider:Azure:ManagementEndpoint is not an absolute URL."
        : null;
}
