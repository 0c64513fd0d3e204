namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// A paired test that keeps each image's questions together: under no difference between two models, the sign of
/// each image's summed difference (B minus A over its questions) is a fair coin, so the p-value is the share of sign
/// flips whose total is at least as far from 0 as the observed one (two-sided). With one question per image on
/// right-or-wrong scores it is exactly McNemar's exact test; on whole images it is the exact permutation form of
/// Durkalski's clustered McNemar (its statistic, (Σd)² / Σd², has a denominator no flip changes).
/// </summary>
public static class ClusterSignFlipTest
{
    /// <summary>Images up to which every sign pattern is enumerated when the sums are not whole numbers.</summary>
    public const int EnumerateUpTo = 16;

    /// <summary>Random sign patterns drawn beyond <see cref="EnumerateUpTo"/> images with fractional sums.</summary>
    public const int MonteCarloDraws = 20_000;

    public const string ExactMethod = "exact (every sign pattern of the images)";

    public const string MonteCarloMethod = "Monte Carlo (20,000 seeded sign patterns of the images)";

    /// <summary>
    /// The test on each example's B minus A, with how it was computed: exact when the images' sums are whole numbers
    /// (right-or-wrong scores) or there are at most <see cref="EnumerateUpTo"/> images, else seeded Monte Carlo.
    /// </summary>
    /// <param name="differences">Each example's B minus A.</param>
    /// <param name="clusterIds">Each example's image; aligned with <paramref name="differences"/>.</param>
    public static SignFlipResult TwoSided(IReadOnlyList<double> differences, IReadOnlyList<string> clusterIds, int seed = ClusterBootstrap.DefaultSeed)
    {
        if (differences.Count != clusterIds.Count)
        {
            throw new ArgumentException("Every difference needs its cluster id.", nameof(clusterIds));
        }

        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < differences.Count; i++)
        {
            if (!sums.ContainsKey(clusterIds[i]))
            {
                order.Add(clusterIds[i]);
            }

            sums[clusterIds[i]] = sums.GetValueOrDefault(clusterIds[i]) + differences[i];
        }

        double[] bySum = [.. order.Select(c => sums[c])];
        var nonZero = bySum.Count(d => Math.Abs(d) > 1e-12);
        var exact = nonZero <= EnumerateUpTo || bySum.All(d => Math.Abs(d - Math.Round(d)) < 1e-9);
        return new SignFlipResult(PValue(bySum, seed), exact, bySum.Length);
    }

    /// <summary>The two-sided p-value for B minus A, paired example by example; null without examples.</summary>
    /// <param name="clusterIds">Each example's image, aligned with the scores.</param>
    public static double? PValue(IReadOnlyList<double> scoresA, IReadOnlyList<double> scoresB, IReadOnlyList<string> clusterIds,
        int seed = ClusterBootstrap.DefaultSeed)
    {
        if (scoresA.Count != scoresB.Count || scoresA.Count != clusterIds.Count)
        {
            throw new ArgumentException("The sign-flip test needs both scores and the cluster id of every example.", nameof(clusterIds));
        }

        if (scoresA.Count == 0)
        {
            return null;
        }

        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < scoresA.Count; i++)
        {
            if (!sums.ContainsKey(clusterIds[i]))
            {
                order.Add(clusterIds[i]);
            }

            sums[clusterIds[i]] = sums.GetValueOrDefault(clusterIds[i]) + scoresB[i] - scoresA[i];
        }

        return PValue([.. order.Select(c => sums[c])], seed);
    }

    /// <summary>The two-sided p-value from each image's summed difference; 1 when every sum is 0 (nothing discordant).</summary>
    public static double PValue(IReadOnlyList<double> clusterSums, int seed = ClusterBootstrap.DefaultSeed)
    {
        var nonZero = clusterSums.Where(d => Math.Abs(d) > 1e-12).Select(Math.Abs).ToArray();
        if (nonZero.Length == 0)
        {
            return 1;
        }

        var observed = Math.Abs(clusterSums.Sum());
        if (nonZero.All(d => Math.Abs(d - Math.Round(d)) < 1e-9))
        {
            return ExactForWholeNumbers([.. nonZero.Select(d => (int)Math.Round(d))], (int)Math.Round(observed));
        }

        return nonZero.Length <= EnumerateUpTo ? Enumerated(nonZero, observed) : MonteCarlo(nonZero, observed, seed);
    }

    // The distribution of Σ ±d_k over every sign pattern, by dynamic programming over the reachable totals.
    private static double ExactForWholeNumbers(int[] magnitudes, int observed)
    {
        var span = magnitudes.Sum();
        var probability = new double[2 * span + 1];
        probability[span] = 1;
        foreach (var d in magnitudes)
        {
            var next = new double[probability.Length];
            for (var t = 0; t < probability.Length; t++)
            {
                if (probability[t] == 0)
                {
                    continue;
                }

                next[t - d] += probability[t] / 2;
                next[t + d] += probability[t] / 2;
            }

            probability = next;
        }

        var tail = 0.0;
        for (var t = 0; t < probability.Length; t++)
        {
            tail += Math.Abs(t - span) >= observed ? probability[t] : 0;
        }

        return Math.Min(1, tail);
    }

    private static double Enumerated(double[] magnitudes, double observed)
    {
        var patterns = 1L << magnitudes.Length;
        long atLeast = 0;
        for (long pattern = 0; pattern < patterns; pattern++)
        {
            var total = 0.0;
            for (var k = 0; k < magnitudes.Length; k++)
            {
                total += (pattern >> k & 1) == 1 ? magnitudes[k] : -magnitudes[k];
            }

            atLeast += Math.Abs(total) >= observed - 1e-9 ? 1 : 0;
        }

        return (double)atLeast / patterns;
    }

    // Seeded, and counting the observed pattern itself so the p-value is never 0.
    private static double MonteCarlo(double[] magnitudes, double observed, int seed)
    {
        var random = new Random(seed);
        var atLeast = 0;
        for (var draw = 0; draw < MonteCarloDraws; draw++)
        {
            var total = 0.0;
            foreach (var d in magnitudes)
            {
                total += random.Next(2) == 0 ? d : -d;
            }

            atLeast += Math.Abs(total) >= observed - 1e-9 ? 1 : 0;
        }

        return (atLeast + 1.0) / (MonteCarloDraws + 1.0);
    }
}

/// <param name="PValue">Two-sided: the share of sign patterns whose total is at least as far from 0 as the observed one.</param>
/// <param name="Exact">Every pattern counted (else seeded Monte Carlo).</param>
/// <param name="Clusters">Images.</param>
public sealed record SignFlipResult(double PValue, bool Exact, int Clusters)
{
    public string Method => Exact ? ClusterSignFlipTest.ExactMethod : ClusterSignFlipTest.MonteCarloMethod;
}
