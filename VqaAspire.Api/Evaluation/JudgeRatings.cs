namespace VqaAspire.Api.Evaluation;

/// <summary>The LLM judge's four-level scale, best first.</summary>
public static class JudgeRatings
{
    public const string VerySimilar = "Very Similar";
    public const string MostlySimilar = "Mostly Similar";
    public const string SomewhatSimilar = "Somewhat Similar";
    public const string Incorrect = "Incorrect";

    public static readonly IReadOnlyList<string> All = [VerySimilar, MostlySimilar, SomewhatSimilar, Incorrect];

    /// <summary>Counted as right in the strict reading of the judge.</summary>
    public static bool IsVerySimilar(string? rating) => rating == VerySimilar;

    /// <summary>Counted as right in the lenient reading: at least Mostly Similar.</summary>
    public static bool IsAtLeastMostlySimilar(string? rating) => rating is VerySimilar or MostlySimilar;
}
