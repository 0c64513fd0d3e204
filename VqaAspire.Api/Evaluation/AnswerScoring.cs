using System.Globalization;
using System.Text;

namespace VqaAspire.Api.Evaluation;

/// <summary>The scoring rules, applied the same way to every model.</summary>
public static class AnswerScoring
{
    /// <summary>
    /// The reference notebook's yes/no rule: the prediction equals the truth, or contains it, ignoring case. Lenient:
    /// "No" counts inside "Not sure" and "Yes" inside "Yes and no".
    /// </summary>
    public static bool LenientMatch(string prediction, string truth)
    {
        var p = prediction.ToLowerInvariant();
        var t = truth.ToLowerInvariant();
        return p == t || p.Contains(t, StringComparison.Ordinal);
    }

    /// <summary>Exact match after normalising both: lower case, accents and punctuation removed, whitespace collapsed, a leading article dropped.</summary>
    public static bool StrictMatch(string prediction, string truth) => Normalize(prediction) == Normalize(truth);

    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = true;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                lastWasSpace = false;
            }
            else if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c))
            {
                // Punctuation separates words ("Smith,John") but never survives as a character.
                if (!lastWasSpace && (char.IsWhiteSpace(c) || c is '-' or '/' or ',' or ';' or ':'))
                {
                    builder.Append(' ');
                    lastWasSpace = true;
                }
            }
        }

        var normalized = builder.ToString().Trim();
        foreach (var article in (ReadOnlySpan<string>)["the ", "a ", "an "])
        {
            if (normalized.StartsWith(article, StringComparison.Ordinal) && normalized.Length > article.Length)
            {
                return normalized[article.Length..];
            }
        }

        return normalized;
    }

    /// <summary>
    /// Average Normalized Levenshtein Similarity (the DocVQA metric): 1 - distance / longer length on normalised
    /// text, best over the accepted answers, and 0 when that similarity is under 0.5.
    /// </summary>
    public static double Anls(string prediction, IEnumerable<string> acceptedAnswers, double threshold = 0.5)
    {
        var p = Normalize(prediction);
        var best = 0.0;
        foreach (var answer in acceptedAnswers)
        {
            var a = Normalize(answer);
            var longer = Math.Max(p.Length, a.Length);
            var similarity = longer == 0 ? 1.0 : 1.0 - (double)Levenshtein(p, a) / longer;
            best = Math.Max(best, similarity);
        }

        return best < threshold ? 0 : best;
    }

    public static int Levenshtein(string a, string b)
    {
        if (a.Length < b.Length)
        {
            (a, b) = (b, a);
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

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
