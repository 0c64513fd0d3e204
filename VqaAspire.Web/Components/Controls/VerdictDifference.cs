namespace VqaAspire.Web.Components.Controls;

/// <summary>A model's rate minus the baseline's, in points, with a 95% interval and its reading.</summary>
public sealed record VerdictDifference(string Model, string Baseline, double Value, double Lower, double Upper, string Reading)
{
    public static string Points(double value) => $"{(value >= 0 ? "+" : "−")}{Math.Abs(value * 100):0.0} pt";
}
