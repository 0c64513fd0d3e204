namespace VqaAspire.Contracts;

/// <summary>A run's fine-tune as the api shows it.</summary>
/// <param name="Status">The job's status in OpenAI's words (validating_files, queued, running, succeeded, failed, cancelled); Azure's pending shows as queued.</param>
/// <param name="EstimatedCostUsd">Trained tokens times the base model's training price.</param>
/// <param name="DeploymentName">Azure only: the deployment that serves the fine-tuned model.</param>
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
    FineTuneRequest Settings);
