namespace VqaAspire.Contracts;

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
