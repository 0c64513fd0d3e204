namespace VqaAspire.Contracts;

/// <param name="JudgeExplanation">Why the judge gave its rating, as it said.</param>
/// <param name="Filtered">Azure OpenAI's content filter refused the prompt (or cut the answer): no answer, counted wrong, counted apart from failures.</param>
public sealed record ModelAnswer(string Name, string? Answer, string? Error, bool? LenientRight, bool? StrictRight, double? Anls, string? JudgeRating,
    string? JudgeExplanation = null, bool Filtered = false);
