using System.Globalization;

namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// ChartQA's relaxed accuracy exactly as the reference <c>relaxed_correctness</c> (google-research/pix2struct,
/// <c>pix2struct/metrics.py</c>; ChartQA paper, end of section 5.1): when the prediction reads as a number and the
/// truth as a non-zero number, right within 5% of the truth; otherwise the two texts equal ignoring case, nothing
/// trimmed. A text reads as a number as Python's <c>float()</c> reads it (surrounding whitespace allowed, "12." is
/// 12, no thousands commas), and one ending in "%" is that number over 100. So a truth of 0 needs the text "0", and
/// "45%" against "45" is wrong: the official behaviour, kept so scores compare with published ones.
/// </summary>
public static class RelaxedAccuracy
{
    /// <summary>The relative tolerance on a numeric truth.</summary>
    public const double Tolerance = 0.05;

    /// <summary>True when the prediction is right for this truth.</summary>
    public static bool IsCorrect(string prediction, string truth)
    {
        // Python's `if prediction_float is not None and target_float:` — a truth of 0 is falsy and falls to the text comparison.
        if (ParseNumber(prediction) is { } p && ParseNumber(truth) is { } t && t != 0)
        {
            return Math.Abs(p - t) / Math.Abs(t) <= Tolerance;
        }

        return string.Equals(prediction.ToLowerInvariant(), truth.ToLowerInvariant(), StringComparison.Ordinal);
    }

    /// <summary>True when the prediction is right for any accepted answer (the reference takes the best over targets).</summary>
    public static bool IsCorrect(string prediction, IEnumerable<string> acceptedAnswers) =>
        acceptedAnswers.Any(answer => IsCorrect(prediction, answer));

    /// <summary>
    /// The opt-in lenient variant (<c>metricVariant: "lenient"</c>), not the official metric: numbers as chart labels
    /// write them ("1,234", "12.", " 12 ", "45%" as 45) within 5% of the truth, a truth of 0 right for any zero ("0.0"),
    /// and texts equal ignoring case and surrounding spaces.
    /// </summary>
    public static bool IsCorrectLenient(string prediction, string truth)
    {
        if (LenientNumber(prediction) is { } p && LenientNumber(truth) is { } t)
        {
            return t == 0 ? p == 0 : Math.Abs(p - t) <= Tolerance * Math.Abs(t);
        }

        return string.Equals(prediction.Trim(), truth.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsCorrectLenient(string prediction, IEnumerable<string> acceptedAnswers) =>
        acceptedAnswers.Any(answer => IsCorrectLenient(prediction, answer));

    /// <summary>The lenient variant's number: surrounding spaces and a trailing period dropped, thousands commas removed, a trailing % read as written.</summary>
    public static double? LenientNumber(string text)
    {
        var t = text.Trim().TrimEnd('.').Trim();
        if (t.EndsWith('%'))
        {
            t = t[..^1].TrimEnd();
        }

        t = t.Replace(",", "", StringComparison.Ordinal);
        return t.Length > 0 && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
    }

    /// <summary>The reference's <c>_to_float</c>: the number a text states, a trailing "%" dividing it by 100, or null.</summary>
    public static double? ParseNumber(string text) =>
        text.EndsWith('%') ? PythonFloat(text.TrimEnd('%')) / 100.0 : PythonFloat(text);

    /// <summary>
    /// Python's <c>float(str)</c>: surrounding whitespace ignored, a sign, digits with single underscores between them,
    /// a decimal point, an exponent, or inf/infinity/nan. Null where Python raises <c>ValueError</c>.
    /// </summary>
    public static double? PythonFloat(string text)
    {
        var t = text.Trim();
        if (t.Length == 0)
        {
            return null;
        }

        var unsigned = t.TrimStart('+', '-');
        if (t.Length - unsigned.Length > 1)
        {
            return null;
        }

        switch (unsigned.ToLowerInvariant())
        {
            case "inf" or "infinity":
                return t[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            case "nan":
                return double.NaN;
        }

        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            var allowed = char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'
                || (c == '_' && i > 0 && i < t.Length - 1 && char.IsAsciiDigit(t[i - 1]) && char.IsAsciiDigit(t[i + 1]));
            if (!allowed)
            {
                return null;
            }
        }

        return double.TryParse(t.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
