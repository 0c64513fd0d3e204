namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// The Wilson score interval for a proportion: unlike the bootstrap it stays open at 0 or n successes, so 0 of 277
/// reads [0%, 1.4%], not [0%, 0%].
/// </summary>
public static class WilsonInterval
{
    /// <summary>The normal quantile of a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The proportion with its Wilson interval; NaN throughout when <paramref name="total"/> is 0.</summary>
    public static Proportion For(int successes, int total, double z = Z95)
    {
        if (total == 0)
        {
            return new Proportion(0, 0, double.NaN, double.NaN, double.NaN);
        }

        var p = (double)successes / total;
        var (lower, upper) = Bounds(p, total, z);
        return new Proportion(successes, total, p, lower, upper);
    }

    /// <summary>
    /// The interval for proportion <paramref name="p"/> on a sample size that may be fractional (an effective
    /// sample size). The bounds are exactly 0 and 1 at the edges, where the formula gives them up to rounding.
    /// </summary>
    public static (double Lower, double Upper) Bounds(double p, double n, double z = Z95)
    {
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var halfWidth = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return (p <= 0 ? 0 : Math.Max(0, centre - halfWidth), p >= 1 ? 1 : Math.Min(1, centre + halfWidth));
    }
}
