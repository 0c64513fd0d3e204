namespace VqaAspire.Api.Evaluation.Judging;

/// <summary>The judge's grade of one answer.</summary>
/// <param name="Rating">One of <see cref="JudgeRatings.All"/>.</param>
/// <param name="Explanation">The judge's one-sentence reason, as it gave it.</param>
/// <param name="ModelSnapshot">The model snapshot that gave the verdict, as the provider reported it; null when it did not say.</param>
public sealed record JudgeVerdict(string Rating, string? Explanation, string? ModelSnapshot);
