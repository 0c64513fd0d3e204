namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// Power of a paired comparison of two models at 80% power and 5% two-sided, from Connor's sample size for paired
/// proportions (McNemar; Connor 1987, Biometrics 43:207): n = [z_{α/2} √ψ + z_β √(ψ − Δ²)]² / Δ², where ψ is the
/// discordance (the mean squared per-example difference: for right-or-wrong scores the share of examples exactly one
/// model got right) and Δ the true difference. Questions of one cover are not independent, so n counts effective
/// examples: the examples needed are n times the design effect of the per-example differences clustered by cover.
/// </summary>
public static class PowerAnalysis
{
    /// <summary>z for a 5% two-sided test.</summary>
    public const double ZAlpha = WilsonInterval.Z95;

    /// <summary>z for 80% power.</summary>
    public const double ZPower = 0.8416212335729143;

    /// <summary>Effective examples (independent ones) needed to detect <paramref name="difference"/> (0..1) with discordance <paramref name="discordance"/>; null when it cannot be (Δ² ≥ ψ, or either is not positive).</summary>
    public static double? EffectiveExamplesNeeded(double difference, double discordance)
    {
        var d = Math.Abs(difference);
        if (d <= 0 || discordance <= 0 || d * d >= discordance)
        {
            return null;
        }

        var root = ZAlpha * Math.Sqrt(discordance) + ZPower * Math.Sqrt(discordance - d * d);
        return root * root / (d * d);
    }

    /// <summary>Covers needed: effective examples times the design effect, over the questions per cover, rounded up.</summary>
    public static int? CoversNeeded(double difference, double discordance, double designEffect, double questionsPerCover)
    {
        if (EffectiveExamplesNeeded(difference, discordance) is not { } effective || questionsPerCover <= 0)
        {
            return null;
        }

        // Rounded to 1e-9 first so that a figure a hair above a whole number from floating point does not add a cover.
        return (int)Math.Ceiling(Math.Round(effective * Math.Max(1, designEffect) / questionsPerCover, 9));
    }

    /// <summary>
    /// The smallest true difference (0..1) found with 80% power from <paramref name="examples"/> examples: the Δ that
    /// solves Connor's equation at n = examples / design effect. Null when the discordance is 0 (no disagreement to
    /// measure it from) or the sample is too small to detect even the largest difference the discordance allows.
    /// </summary>
    public static double? MinimumDetectableDifference(int examples, double discordance, double designEffect)
    {
        if (examples <= 0 || discordance <= 0)
        {
            return null;
        }

        var effective = examples / Math.Max(1, designEffect);
        double Shortfall(double d) => d * Math.Sqrt(effective) - ZAlpha * Math.Sqrt(discordance) - ZPower * Math.Sqrt(Math.Max(0, discordance - d * d));
        var high = Math.Sqrt(discordance);
        if (Shortfall(high) < 0)
        {
            return null;
        }

        // The left side grows and the right shrinks with Δ: one root, found by bisection.
        var low = 0.0;
        for (var i = 0; i < 100; i++)
        {
            var middle = (low + high) / 2;
            (low, high) = Shortfall(middle) >= 0 ? (low, middle) : (middle, high);
        }

        return high;
    }

    /// <summary>The discordance of per-example differences (B minus A, each in [-1, 1]): their mean square.</summary>
    public static double Discordance(IReadOnlyList<double> differences) =>
        differences.Count == 0 ? 0 : differences.Average(d => d * d);

    /// <summary>
    /// How many times clustering by cover inflates the variance of the mean difference over independent examples:
    /// Σ_k (S_k − m_k d̄)² / Σ_i (d_i − d̄)² for covers k of m_k examples summing to S_k (the cluster-robust over the plain
    /// variance), at least 1; 1 without variation. It is at most the largest cover's size.
    /// </summary>
    public static double DesignEffect(IReadOnlyList<double> differences, IReadOnlyList<string> clusterIds)
    {
        if (differences.Count != clusterIds.Count)
        {
            throw new ArgumentException("Every difference needs its cluster id.", nameof(clusterIds));
        }

        if (differences.Count == 0)
        {
            return 1;
        }

        var mean = differences.Average();
        var plain = differences.Sum(d => (d - mean) * (d - mean));
        if (plain <= 1e-15)
        {
            return 1;
        }

        var clustered = Enumerable.Range(0, differences.Count)
            .GroupBy(i => clusterIds[i], StringComparer.Ordinal)
            .Sum(g => Math.Pow(g.Sum(i => differences[i]) - g.Count() * mean, 2));
        return Math.Max(1, clustered / plain);
    }
}
