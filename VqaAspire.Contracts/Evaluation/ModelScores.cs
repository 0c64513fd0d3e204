namespace VqaAspire.Contracts;

/// <param name="Failed">Examples the model gave no answer to (other than filtered ones): they stay in every denominator and count as wrong.</param>
/// <param name="Filtered">Examples Azure OpenAI's content filter refused: no answer, in every denominator, counted wrong, and counted here apart from <paramref name="Failed"/>.</param>
/// <param name="JudgeFailures">Open-ended answers the judge could not grade: wrong for the judge measures.</param>
/// <param name="YesNo">The yes/no reading: share of Yes in the truth, majority baseline, precision/recall/F1.</param>
/// <param name="Emulated">
/// The OpenAI emulator answered for this model (its answers carried the emulator's fingerprint; with no answer, it was
/// asked on the run's provider and that is the emulator). A model asked on its own <c>endpoint</c> is real unless its answers say otherwise.
/// </param>
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
    int Filtered = 0,
    bool Emulated = false);
