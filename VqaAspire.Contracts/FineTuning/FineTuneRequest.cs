namespace VqaAspire.Contracts;

/// <summary>Start a fine-tune for a prepared run: <c>POST /api/runs/{id}/fine-tune</c>.</summary>
/// <param name="BaseModel">A vision-capable snapshot; default gpt-4o-2024-08-06.</param>
/// <param name="Epochs">1-50, or null for auto.</param>
/// <param name="BatchSize">1-256, or null for auto.</param>
/// <param name="LearningRateMultiplier">Greater than 0, or null for auto.</param>
/// <param name="Suffix">Up to 64 characters, part of the fine-tuned model's name.</param>
/// <param name="WandbProject">A Weights &amp; Biases project to report to (OpenAI's integration), or null.</param>
/// <param name="TrainingType">Azure OpenAI only: Standard, GlobalStandard or developerTier ("Developer" reads as developerTier); null for the app's setting.</param>
/// <param name="DeploymentSku">Azure OpenAI only: how the fine-tune is deployed, Standard, GlobalStandard or DeveloperTier (GPT-4.1 bases only); null for the app's setting.</param>
/// <param name="DeleteDeploymentAfterEvaluation">Azure OpenAI only: delete the fine-tune's deployment (billed by the hour) once the evaluation is done.</param>
public sealed record FineTuneRequest(
    string? BaseModel = null,
    int? Epochs = null,
    int? BatchSize = null,
    double? LearningRateMultiplier = null,
    string? Suffix = null,
    int? Seed = null,
    bool UseValidationFile = true,
    IReadOnlyDictionary<string, string>? Metadata = null,
    string? WandbProject = null,
    string? TrainingType = null,
    bool DeleteDeploymentAfterEvaluation = false,
    string? DeploymentSku = null);
