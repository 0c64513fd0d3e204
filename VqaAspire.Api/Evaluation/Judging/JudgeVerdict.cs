namespace VqaAspire.Api.Evaluation.Judging;

/// <summary>The judge's grade of one answer.</summary>
/// <param name="Rating">One of <see cref="JudgeRatings.All"/>.</param>
/// <param name="Explanation">The judge's one-sentence reason, as it gave it.</param>
/// <param name="ModelSnapshot">The model snapshot that gave the verdict, as the provider reported it; null when it did not say.</param>
/// <param name="Emulated">The judge's answer carried the emulator's fingerprint: its string similarity graded, not a model.</param>
public sealed record JudgeVerdict(string Rating, string? Explanation, string? ModelSnapshot, bool Emulated = false);
