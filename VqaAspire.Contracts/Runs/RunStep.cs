namespace VqaAspire.Contracts;

/// <summary>A step of a run: prepare, upload, fine-tune or evaluate.</summary>
/// <param name="Status">Where the step stands.</param>
/// <param name="Progress">0 to 1.</param>
/// <param name="TraceId">The W3C trace id of the step's span, to open it in the Aspire dashboard.</param>
public sealed record RunStep(
    StepStatus Status,
    double Progress = 0,
    string? Message = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? TraceId = null);
