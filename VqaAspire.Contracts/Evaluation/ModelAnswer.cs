namespace VqaAspire.Contracts;

/// <param name="JudgeExplanation">Why the judge gave its rating, as it said.</param>
public sealed record ModelAnswer(string Name, string? Answer, string? Error, bool? LenientRight, bool? StrictRight, double? Anls, string? JudgeRating,
    string? JudgeExplanation = null);
