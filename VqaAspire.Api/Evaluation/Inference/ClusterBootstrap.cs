namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// The cluster bootstrap: questions about one image are not independent (2 to 7 per cover), so it resamples whole
/// images with replacement and keeps each image's questions together. Seeded, so the same scores always give the
/// same interval; the interval is the 2.5th to 97.5th percentile of the resampled means.
/// </summary>
public static class ClusterBootstrap
{
    public const int DefaultResamples = 2000;
    public const int DefaultSeed = 42;
    private const double Confidence = 0.95;

    /// <summary>The mean of <paramref name="scores"/> (each example's score, e.g. 0/1 or ANLS) with its cluster-bootstrap interval.</summary>
    /// <param name="clusterIds">Each example's cluster, the image id; aligned with <paramref name="scores"/>.</param>
    public static BootstrapEstimate Mean(IReadOnlyList<double> scores, IReadOnlyList<string> clusterIds,
        int seed = DefaultSeed, int resamples = DefaultResamples)
    {
        if (scores.Count != clusterIds.Count)
        {
            throw new ArgumentException("Every score needs its cluster id.", nameof(clusterIds));
        }

        if (scores.Count == 0)
        {
            return new BootstrapEstimate(0, 0, null, null, null, null);
        }

        var (sums, counts) = SumByCluster(scores, clusterIds);
        var means = ResampledMeans(sums, counts, seed, resamples);
        return new BootstrapEstimate(scores.Count, sums.Length, sums.Sum() / scores.Count,
            Percentile(means, (1 - Confidence) / 2), Percentile(means, 1 - (1 - Confidence) / 2), StandardDeviation(means));
    }

    /// <summary>
    /// Fine-tuned minus base, paired example by example, in points (scores times 100), with the interval from
    /// resampling images. The lists are aligned: entry i of each is the same example.
    /// </summary>
    public static PairedDifference Difference(IReadOnlyList<double> baseScores, IReadOnlyList<double> fineTunedScores,
        IReadOnlyList<string> clusterIds, int seed = DefaultSeed, int resamples = DefaultResamples)
    {
        if (baseScores.Count != fineTunedScores.Count || baseScores.Count != clusterIds.Count)
        {
            throw new ArgumentException("The paired difference needs both scores and the cluster id of every example.", nameof(clusterIds));
        }

        if (baseScores.Count == 0)
        {
            return PairedDifference.NoPairedExamples;
        }

        var differences = new double[baseScores.Count];
        for (var i = 0; i < differences.Length; i++)
        {
            differences[i] = 100 * (fineTunedScores[i] - baseScores[i]);
        }

        var estimate = Mean(differences, clusterIds, seed, resamples);
        return new PairedDifference(estimate.Count, estimate.Clusters, estimate.Value, estimate.Lower, estimate.Upper);
    }

    // Each cluster's score total and size, clusters in order of first appearance (so the draw does not depend on hashing).
    private static (double[] Sums, int[] Counts) SumByCluster(IReadOnlyList<double> scores, IReadOnlyList<string> clusterIds)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var sums = new List<double>();
        var counts = new List<int>();
        for (var i = 0; i < scores.Count; i++)
        {
            if (!index.TryGetValue(clusterIds[i], out var c))
            {
                c = index[clusterIds[i]] = sums.Count;
                sums.Add(0);
                counts.Add(0);
            }

            sums[c] += scores[i];
            counts[c]++;
        }

        return ([.. sums], [.. counts]);
    }

    // Each resample draws as many clusters as there are, with replacement; its mean is total score over total examples.
    private static double[] ResampledMeans(double[] sums, int[] counts, int seed, int resamples)
    {
        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double total = 0;
            long examples = 0;
            for (var k = 0; k < sums.Length; k++)
            {
                var c = random.Next(sums.Length);
                total += sums[c];
                examples += counts[c];
            }

            means[r] = total / examples;
        }

        Array.Sort(means);
        return means;
    }

    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
