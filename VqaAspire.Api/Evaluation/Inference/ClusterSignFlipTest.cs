namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// The sign-flip permutation test by image, for a paired difference whose questions cluster by image: with no true
/// difference, each image's summed difference (B minus A over its questions) is as likely positive as negative, so the
/// observed total is compared with the totals of every way of flipping whole images' signs. Exact (every pattern)
/// up to <see cref="ExactLimit"/> images; beyond, <see cref="MonteCarloDraws"/> seeded random patterns, whose p-value
/// (1 + as extreme) / (1 + draws) keeps the test's level. Two-sided.
/// </summary>
public static class ClusterSignFlipTest
{
    /// <summary>Up to 16 images every one of the 2^k sign patterns is counted (65,536 at most).</summary>
    public const int ExactLimit = 16;

    public const int MonteCarloDraws = 10_000;

    public const string ExactMethod = "exact (all 2^k sign patterns of the images)";

    public const string MonteCarloMethod = "Monte Carlo (10,000 seeded sign patterns of the images)";

    /// <param name="differences">Each example's B minus A.</param>
    /// <param name="clusterIds">Each example's image; aligned with <paramref name="differences"/>.</param>
    public static SignFlipResult TwoSided(IReadOnlyList<double> differences, IReadOnlyList<string> clusterIds, int seed = ClusterBootstrap.DefaultSeed)
    {
        if (differences.Count != clusterIds.Count)
        {
            throw new ArgumentException("Every difference needs its cluster id.", nameof(clusterIds));
        }

        var sums = SumByCluster(differences, clusterIds);
        if (sums.Length == 0)
        {
            return new SignFlipResult(1, true, 0);
        }

        var observed = Math.Abs(sums.Sum());
        // Totals equal to the observed one up to rounding count as extreme.
        var tolerance = 1e-9 * (sums.Sum(Math.Abs) + 1);
        return sums.Length <= ExactLimit
            ? new SignFlipResult(Exact(sums, observed - tolerance), true, sums.Length)
            : new SignFlipResult(MonteCarlo(sums, observed - tolerance, seed), false, sums.Length);
    }

    private static double Exact(double[] sums, double threshold)
    {
        var patterns = 1L << sums.Length;
        long extreme = 0;
        for (long mask = 0; mask < patterns; mask++)
        {
            double total = 0;
            for (var k = 0; k < sums.Length; k++)
            {
                total += (mask >> k & 1) == 0 ? sums[k] : -sums[k];
            }

            if (Math.Abs(total) >= threshold)
            {
                extreme++;
            }
        }

        return (double)extreme / patterns;
    }

    private static double MonteCarlo(double[] sums, double threshold, int seed)
    {
        var random = new Random(seed);
        long extreme = 0;
        for (var draw = 0; draw < MonteCarloDraws; draw++)
        {
            double total = 0;
            long bits = 0;
            for (var k = 0; k < sums.Length; k++)
            {
                // 62 fair sign bits per draw of the generator.
                if (k % 62 == 0)
                {
                    bits = random.NextInt64();
                }

                total += (bits >> (k % 62) & 1) == 0 ? sums[k] : -sums[k];
            }

            if (Math.Abs(total) >= threshold)
            {
                extreme++;
            }
        }

        return (1.0 + extreme) / (1.0 + MonteCarloDraws);
    }

    private static double[] SumByCluster(IReadOnlyList<double> values, IReadOnlyList<string> clusterIds)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var sums = new List<double>();
        for (var i = 0; i < values.Count; i++)
        {
            if (!index.TryGetValue(clusterIds[i], out var c))
            {
                c = index[clusterIds[i]] = sums.Count;
                sums.Add(0);
            }

            sums[c] += values[i];
        }

        return [.. sums];
    }
}

/// <param name="PValue">Two-sided: the share of sign patterns whose total is at least as far from 0 as the observed one.</param>
/// <param name="Exact">Every pattern counted (else seeded Monte Carlo).</param>
/// <param name="Clusters">Images.</param>
public sealed record SignFlipResult(double PValue, bool Exact, int Clusters)
{
    public string Method => Exact ? ClusterSignFlipTest.ExactMethod : ClusterSignFlipTest.MonteCarloMethod;
}
