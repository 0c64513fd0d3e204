using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>An evaluation's scores, and the per-example results they were computed from.</summary>
public sealed record ScoredEvaluation(EvaluationSummary Summary, IReadOnlyList<ExampleResult> Results);
