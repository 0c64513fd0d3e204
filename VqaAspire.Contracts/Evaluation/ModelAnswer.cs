namespace VqaAspire.Contracts;

public sealed record ModelAnswer(string Name, string? Answer, string? Error, bool? LenientRight, bool? StrictRight, double? Anls, string? JudgeRating);
