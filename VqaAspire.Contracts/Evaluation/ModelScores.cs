namespace VqaAspire.Contracts;

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
    decimal? CostUsd);
