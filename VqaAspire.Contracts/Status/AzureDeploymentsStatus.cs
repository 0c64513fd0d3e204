namespace VqaAspire.Contracts;

/// <summary>Azure OpenAI's settings as the dashboard shows them: the deployment each role uses, and where fine-tunes are deployed.</summary>
/// <param name="Missing">What is not set yet, in words; null when the evaluation can run.</param>
/// <param name="Account">The Azure OpenAI resource the app deploys fine-tunes to, or null when the user deploys by hand.</param>
/// <param name="HostingUsdPerHour">What a fine-tune's deployment costs per hour while it exists.</param>
public sealed record AzureDeploymentsStatus(
    string? BaseDeployment,
    string? JudgeDeployment,
    string? BatchDeployment,
    string TrainingType,
    string? Account,
    string DeploymentSku,
    decimal? HostingUsdPerHour,
    string? Missing);
