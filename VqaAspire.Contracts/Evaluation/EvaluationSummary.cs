namespace VqaAspire.Contracts;

/// <summary>Scores per model, per question kind, with intervals, and the paired tests.</summary>
public sealed record EvaluationSummary(IReadOnlyList<ModelScores> Models, IReadOnlyList<PairedTest> PairedTests);
