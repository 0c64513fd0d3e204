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
