namespace VqaAspire.Web.Components.Controls;

/// <summary>
/// A model's score minus the baseline's on the same examples (0 to 1), with its 95% interval and its reading; the
/// values are null when the two share no answered example.
/// </summary>
public sealed record VerdictDifference(string Model, string Baseline, double? Value, double? Lower, double? Upper, int Pairs, string Reading)
{
    public static string Points(double? value) => value is { } v ? $"{(v >= 0 ? "+" : "−")}{Math.Abs(v * 100):0.0} pt" : "n/a";
}
