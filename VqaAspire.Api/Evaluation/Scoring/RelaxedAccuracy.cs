using System.Globalization;

namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// ChartQA's relaxed accuracy: when both answers read as numbers, right within 5% of the truth (a truth of 0 needs
/// exactly 0); otherwise an exact match ignoring case and surrounding spaces.
/// </summary>
public static class RelaxedAccuracy
{
    /// <summary>The relative tolerance on a numeric truth.</summary>
    public const double Tolerance = 0.05;

    /// <summary>True when the prediction is right for this truth.</summary>
    public static bool IsCorrect(string prediction, string truth)
    {
        if (ParseNumber(prediction) is { } p && ParseNumber(truth) is { } t)
        {
            return t == 0 ? p == 0 : Math.Abs(p - t) <= Tolerance * Math.Abs(t);
        }

        return string.Equals(prediction.Trim(), truth.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the prediction is right for any accepted answer.</summary>
    public static bool IsCorrect(string prediction, IEnumerable<string> acceptedAnswers) =>
        acceptedAnswers.Any(answer => IsCorrect(prediction, answer));

    /// <summary>
    /// The number a text states, or null. Thousands commas, a trailing period and a trailing % are allowed; a
    /// percentage reads as the number written ("45%" is 45, as ChartQA's labels write it), unlike the official
    /// script, which divides by 100 and so fails "45%" against "45".
    /// </summary>
    public static double? ParseNumber(string text)
    {
        var t = text.Trim().TrimEnd('.').Trim();
        if (t.EndsWith('%'))
        {
            t = t[..^1].TrimEnd();
        }

        t = t.Replace(",", "", StringComparison.Ordinal);
        return t.Length > 0 && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;
    }
}
