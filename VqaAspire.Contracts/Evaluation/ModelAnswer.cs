namespace VqaAspire.Contracts;

/// <param name="JudgeExplanation">Why the judge gave its rating, as it said.</param>
/// <param name="MetricScore">The answer's score in [0, 1] under the dataset's metric (0 when unanswered).</param>
/// <param name="ModelSnapshot">The model snapshot that answered, as the provider reported it.</param>
/// <param name="JudgeSnapshot">The judge's model snapshot that gave the rating, as its provider reported it.</param>
/// <param name="Filtered">Azure OpenAI's content filter refused the prompt (or cut the answer): no answer, counted wrong, counted apart from failures.</param>
public sealed record ModelAnswer(string Name, string? Answer, string? Error, bool? LenientRight, bool? StrictRight, double? Anls, string? JudgeRating,
    string? JudgeExplanation = null, double? MetricScore = null, string? ModelSnapshot = null, string? JudgeSnapshot = null, bool Filtered = false);
