namespace VqaAspire.Contracts;

/// <summary>Start a fine-tune for a prepared run: <c>POST /api/runs/{id}/fine-tune</c>.</summary>
/// <param name="BaseModel">A vision-capable snapshot; default gpt-4o-2024-08-06.</param>
/// <param name="Epochs">1-50, or null for auto.</param>
/// <param name="BatchSize">1-256, or null for auto.</param>
/// <param name="LearningRateMultiplier">Greater than 0, or null for auto.</param>
/// <param name="Suffix">Up to 64 characters, part of the fine-tuned model's name.</param>
/// <param name="WandbProject">A Weights &amp; Biases project to report to (OpenAI's integration), or null.</param>
public sealed record FineTuneRequest(
    string? BaseModel = null,
    int? Epochs = null,
    int? BatchSize = null,
    double? LearningRateMultiplier = null,
    string? Suffix = null,
    int? Seed = null,
    bool UseValidationFile = true,
    IReadOnlyDictionary<string, string>? Metadata = null,
    string? WandbProject = null);

/// <summary>Attach a run to a job created elsewhere: <c>POST /api/runs/{id}/fine-tune/attach</c>.</summary>
public sealed record AttachJobRequest(string JobId);

/// <summary>Azure OpenAI serves a fine-tuned model only through a deployment: <c>POST /api/runs/{id}/fine-tune/deployment</c>.</summary>
public sealed record DeploymentRequest(string DeploymentName);

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

public sealed record FineTuneEvent(string Id, DateTimeOffset CreatedAt, string Level, string Type, string Message);

public sealed record FineTuneCheckpoint(string Id, string Model, int Step, DateTimeOffset CreatedAt, double? TrainLoss, double? ValidLoss, double? TrainAccuracy);

/// <summary>One training step's metrics: from metrics events while the job runs, from the result CSV once it ends.</summary>
public sealed record FineTunePoint(int Step, double? TrainLoss, double? TrainAccuracy, double? ValidLoss, double? ValidAccuracy);

/// <summary>Jobs as the provider lists them, including ones created outside the app.</summary>
public sealed record ProviderJobSummary(string Id, string Model, string Status, string? FineTunedModel, DateTimeOffset CreatedAt, string? RunId);
