namespace VqaAspire.Contracts;

/// <summary>What a run's preparation produced.</summary>
public sealed record PreparationOutcome(
    IReadOnlyList<PreparedSplit> Splits,
    IReadOnlyList<string> FewShotExampleIds,
    IReadOnlyList<SkippedExample> Skipped,
    int SkippedCount,
    int ImagesFromCache,
    int ImagesEncoded,
    TrainingEstimate? Estimate);
