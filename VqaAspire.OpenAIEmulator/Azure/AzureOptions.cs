namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// The Azure OpenAI surfaces (<c>/openai/v1</c> and the Resource Manager deployments API) of one emulated account.
/// Bound from <c>Emulator:Azure</c>.
/// </summary>
public sealed class AzureOptions
{
    /// <summary>How long an uploaded file stays <c>pending</c> before it is <c>processed</c> (Azure screens files, images included, first).</summary>
    public int FileProcessingMilliseconds { get; set; } = 500;

    /// <summary>How long a new deployment stays <c>Creating</c> before it is <c>Succeeded</c>.</summary>
    public int DeploymentProvisioningMilliseconds { get; set; } = 500;

    /// <summary>How long a deleted deployment stays <c>Deleting</c> (Resource Manager answers the DELETE 202) before it is gone.</summary>
    public int DeploymentDeletionMilliseconds { get; set; } = 500;

    /// <summary>A DeveloperTier deployment's fixed lifetime (fine-tune-test: 24 hours, whatever its use).</summary>
    public TimeSpan DeveloperTierLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A fine-tuned deployment without a chat completion for this long is deleted (fine-tune include: 15 days).</summary>
    public TimeSpan IdleDeploymentLifetime { get; set; } = TimeSpan.FromDays(15);

    public string SubscriptionId { get; set; } = "00000000-0000-0000-0000-000000000000";

    public string ResourceGroup { get; set; } = "vqa-rg";

    /// <summary>The Azure OpenAI resource (account) name.</summary>
    public string Account { get; set; } = "vqa-openai";

    /// <summary>When set, only this bearer token passes (data plane and Resource Manager); otherwise any bearer token does.</summary>
    public string? Token { get; set; }

    /// <summary>Deployments that exist from the start (the base, judge and batch deployments a user would have made in the portal).</summary>
    public List<SeededDeployment> Deployments { get; set; } = [];
}
