namespace VqaAspire.Contracts;

/// <param name="Failed">Examples the model gave no answer to (other than filtered ones): they stay in every denominator and count as wrong.</param>
/// <param name="Filtered">Examples Azure OpenAI's content filter refused: no answer, in every denominator, counted wrong, and counted here apart from <paramref name="Failed"/>.</param>
/// <param name="JudgeFailures">Open-ended answers the judge could not grade: wrong for the judge measures.</param>
/// <param name="YesNo">The yes/no reading: share of Yes in the truth, majority baseline, precision/recall/F1.</param>
public sealed record ModelScores(
    string Name,
    string Model,
    int Answered,
    int Failed,
    KindScores Overall,
    IReadOnlyList<KindScores> ByKind,
    IReadOnlyDictionary<string, int> JudgeRatings,
    long PromptTokens,
    long CompletionTokens,
    decimal? CostUsd,
    int JudgeFailures = 0,
    YesNoSummary? YesNo = null,
    int Filtered = 0);
