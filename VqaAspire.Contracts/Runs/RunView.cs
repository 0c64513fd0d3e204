namespace VqaAspire.Contracts;

/// <summary>A run as the api shows it: its steps in order, each with what it produced.</summary>
/// <param name="FineTune">The run's current fine-tune (the one its upload and fine-tune steps follow).</param>
/// <param name="EarlierFineTunes">Fine-tunes the run carried before it was run again on another provider, oldest first: kept as they ended.</param>
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
    string? LatestEvaluationId = null,
    IReadOnlyList<FineTuneView>? EarlierFineTunes = null);
