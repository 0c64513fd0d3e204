namespace VqaAspire.Contracts;

/// <summary>A run's fine-tune as the api shows it.</summary>
/// <param name="Status">The job's status in OpenAI's words (validating_files, queued, running, succeeded, failed, cancelled); Azure's pending shows as queued.</param>
/// <param name="EstimatedCostUsd">Trained tokens times the base model's training price.</param>
/// <param name="DeploymentName">Azure only: the deployment that serves the fine-tuned model.</param>
/// <param name="DeploymentState">Azure only: Accepted, Creating, Succeeded, Failed, Deleting or Deleted, as Resource Manager reported it last
/// (read again when the run is read and before an evaluation, so a deployment Azure removed shows as Deleted).</param>
/// <param name="DeploymentSku">Azure only: the deployment type (Standard, GlobalStandard, DeveloperTier).</param>
/// <param name="DeploymentCapacity">Azure only: the deployment's capacity, thousands of tokens per minute (TPM = capacity x 1,000).</param>
/// <param name="ProviderKind">The provider the job runs on (emulator, openai, azure...): Azure's actions (pause, deploy) show for azure only.</param>
/// <param name="Provider">The other provider it runs on (<c>OtherProviders:{name}</c>), or null for the app's own provider.</param>
/// <param name="HostingUsdPerHour">Azure only: what the deployment costs per hour while it exists, from the pricing settings.</param>
public sealed record FineTuneView(
    string? JobId,
    string BaseModel,
    string Status,
    string? FineTunedModel,
    IReadOnlyList<string> TrainingFiles,
    string? Hyperparameters,
    long? TrainedTokens,
    decimal? EstimatedCostUsd,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    IReadOnlyList<FineTuneCheckpoint> Checkpoints,
    bool NeedsDeployment,
    string? DeploymentName,
    FineTuneRequest Settings,
    string? DeploymentState = null,
    string? DeploymentSku = null,
    decimal? HostingUsdPerHour = null,
    string? ProviderKind = null,
    int? DeploymentCapacity = null,
    string? Provider = null)
{
    /// <summary>Tokens per minute the deployment serves: capacity x 1,000.</summary>
    public long? DeploymentTokensPerMinute => DeploymentCapacity * 1000L;
}
