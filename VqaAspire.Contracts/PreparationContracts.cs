namespace VqaAspire.Contracts;

/// <summary>Start a run by preparing a dataset: <c>POST /api/runs</c>. Every part is optional; defaults follow the reference notebook.</summary>
/// <param name="Continue">Steps to chain after preparation (the one-click cookbook pipeline); null stops after preparing.</param>
public sealed record PrepareRequest(
    string DatasetId,
    SamplingSettings? Sampling = null,
    ImageSettings? Images = null,
    PromptSettings? Prompt = null,
    string? BaseModel = null,
    int? Epochs = null,
    PipelineContinuation? Continue = null);

/// <summary>What a run does by itself once a step succeeds: fine-tune after preparing, then evaluate after fine-tuning.</summary>
/// <param name="FineTune">Start a fine-tune with these settings once preparation succeeds; null stops there.</param>
/// <param name="Evaluate">Start an evaluation with these settings once the fine-tune succeeds; null stops there.</param>
public sealed record PipelineContinuation(FineTuneRequest? FineTune = null, EvaluationRequest? Evaluate = null);

/// <param name="Train">Images sampled for training (each exploded into one example per question).</param>
/// <param name="Stratify">Keep each question kind's share of images, instead of a plain shuffle.</param>
public sealed record SamplingSettings(int Train = 150, int Validation = 50, int Test = 100, int Seed = 42, bool Stratify = false);

/// <param name="Quality">JPEG quality, 1-100 (the notebook uses 50).</param>
/// <param name="MaxSide">Longest side in pixels after resizing; null keeps the size.</param>
/// <param name="Detail">auto, low or high: what OpenAI looks at, and what an image costs.</param>
public sealed record ImageSettings(int Quality = 50, int? MaxSide = null, string Detail = "auto");

/// <param name="SystemPrompt">null uses the default prompt.</param>
/// <param name="FewShotCount">Question/answer pairs with images shown before each question (the notebook uses 6); 0 for zero-shot.</param>
/// <param name="FewShotExampleIds">Train example ids to use as few-shot pairs; null picks them.</param>
public sealed record PromptSettings(string? SystemPrompt = null, int FewShotCount = 6, IReadOnlyList<string>? FewShotExampleIds = null);

/// <summary>A step of a run: prepare, upload, fine-tune or evaluate.</summary>
/// <param name="Status">pending, queued, running, succeeded, failed or cancelled.</param>
/// <param name="Progress">0 to 1.</param>
/// <param name="TraceId">The W3C trace id of the step's span, to open it in the Aspire dashboard.</param>
public sealed record RunStep(
    string Status,
    double Progress = 0,
    string? Message = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? TraceId = null);

/// <summary>What a run's preparation produced.</summary>
public sealed record PreparationOutcome(
    IReadOnlyList<PreparedSplit> Splits,
    IReadOnlyList<string> FewShotExampleIds,
    IReadOnlyList<SkippedExample> Skipped,
    int SkippedCount,
    int ImagesFromCache,
    int ImagesEncoded,
    TrainingEstimate? Estimate);

/// <param name="File">Workspace-relative path of the JSONL.</param>
public sealed record PreparedSplit(
    string Split,
    int Images,
    int Examples,
    string File,
    long Bytes,
    ValidationReport Validation);

/// <summary>An example or image left out, and why.</summary>
public sealed record SkippedExample(string Split, string ImageId, string? ExampleId, string Reason);

/// <summary>Pre-flight validation of one JSONL file by OpenAI's rules for vision training files.</summary>
/// <param name="BilledTokens">Tokens OpenAI bills per epoch: each example's count, capped at the per-example limit.</param>
public sealed record ValidationReport(
    int Lines,
    int ValidLines,
    int Images,
    int TokensMin,
    double TokensMean,
    int TokensMax,
    long TokensTotal,
    long BilledTokens,
    int LinesOverTokenLimit,
    IReadOnlyList<ValidationError> Errors,
    int ErrorCount,
    IReadOnlyList<string> FileErrors)
{
    public bool IsValid => ErrorCount == 0 && FileErrors.Count == 0;
}

/// <param name="Line">1-based line number in the file.</param>
/// <param name="ExampleId">The example the line holds, when known.</param>
/// <param name="Rule">Short rule name, e.g. too_many_images.</param>
public sealed record ValidationError(int Line, string? ExampleId, string Rule, string Message);

/// <summary>The cost of a fine-tune before spending: billed tokens times epochs times the model's training price.</summary>
public sealed record TrainingEstimate(
    string Model,
    int TrainingExamples,
    long BilledTokensPerEpoch,
    int Epochs,
    bool EpochsAuto,
    long TrainedTokens,
    decimal? TrainingPricePerMillion,
    decimal? EstimatedCostUsd,
    long ValidationTokens);

/// <summary>A run as the api shows it: its steps in order, each with what it produced.</summary>
public sealed record RunView(
    string Id,
    string DatasetId,
    DateTimeOffset CreatedAt,
    PrepareRequest Settings,
    RunStep Prepare,
    PreparationOutcome? Preparation,
    RunStep? Upload = null,
    RunStep? FineTuneStep = null,
    FineTuneView? FineTune = null,
    string? LatestEvaluationId = null);
