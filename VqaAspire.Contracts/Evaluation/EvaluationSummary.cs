namespace VqaAspire.Contracts;

/// <summary>Scores per model, per question kind, with intervals, and the paired tests.</summary>
/// <param name="Warnings">What makes the scores less trustworthy (a model judging its own answers...); null when nothing does.</param>
public sealed record EvaluationSummary(IReadOnlyList<ModelScores> Models, IReadOnlyList<PairedTest> PairedTests, IReadOnlyList<string>? Warnings = null);
