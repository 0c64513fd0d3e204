using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>What an evaluation ended with: its summary, and the most frequent reason a question went unanswered (null when none did).</summary>
public sealed record EvaluationOutcome(EvaluationSummary Summary, string? CommonError);
