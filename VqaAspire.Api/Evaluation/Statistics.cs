using VqaAspire.Api.Evaluation.Inference;

namespace VqaAspire.Api.Evaluation;

/// <summary>A proportion with its 95% interval.</summary>
public sealed record Proportion(int Successes, int Total, double Value, double Lower, double Upper);

/// <summary>The statistics every accuracy is reported with.</summary>
public static class Statistics
{
    public const int BootstrapResamples = 2000;

    /// <summary>
    /// The accuracy of <paramref name="outcomes"/> with a 95% percentile bootstrap interval (seeded, so the same
    /// results always give the same interval).
    /// </summary>
    public static Proportion BootstrapAccuracy(IReadOnlyList<bool> outcomes, int seed = 42, int resamples = BootstrapResamples)
    {
        var n = outcomes.Count;
        if (n == 0)
        {
            return new Proportion(0, 0, double.NaN, double.NaN, double.NaN);
        }

        var successes = outcomes.Count(o => o);
        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var hits = 0;
            for (var i = 0; i < n; i++)
            {
                hits += outcomes[random.Next(n)] ? 1 : 0;
            }

            means[r] = (double)hits / n;
        }

        Array.Sort(means);
        return new Proportion(successes, n, (double)successes / n, Percentile(means, 0.025), Percentile(means, 0.975));
    }

    /// <summary>
    /// Exact McNemar test on paired outcomes (the same examples scored for two models): a two-sided binomial test
    /// on the discordant pairs. Returns the counts where only A or only B was right, and the p-value.
    /// </summary>
    public static (int OnlyA, int OnlyB, double PValue) McNemarExact(IReadOnlyList<bool> a, IReadOnlyList<bool> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException("McNemar's test needs the same examples for both models.");
        }

        int onlyA = 0, onlyB = 0;
        for (var i = 0; i < a.Count; i++)
        {
            onlyA += a[i] && !b[i] ? 1 : 0;
            onlyB += !a[i] && b[i] ? 1 : 0;
        }

        return (onlyA, onlyB, McNemarTest.ExactPValue(onlyA, onlyB));
    }

    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
