namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// An accuracy over clustered questions with a 95% interval that neither ignores the clustering nor collapses at
/// 0 or n right. It is the Wilson score interval on the effective sample size n / design effect, where the design
/// effect is the cluster-bootstrap variance of the accuracy over the variance independent questions would give
/// (at least 1). At 0 or n right there is no variance to measure it from, so it takes the largest the clustering
/// allows: every question of an image answered alike (intra-image correlation 1), Σ m_i² / n for images of m_i
/// questions, which is the number of questions per image when images are alike.
/// </summary>
public static class ClusteredAccuracy
{
    /// <summary>The accuracy of <paramref name="outcomes"/> with its clustered Wilson interval; NaN throughout when empty.</summary>
    /// <param name="clusterIds">Each question's image id, aligned with <paramref name="outcomes"/>.</param>
    public static Proportion Estimate(IReadOnlyList<bool> outcomes, IReadOnlyList<string> clusterIds,
        int seed = ClusterBootstrap.DefaultSeed, int resamples = ClusterBootstrap.DefaultResamples)
    {
        var n = outcomes.Count;
        if (n == 0)
        {
            return WilsonInterval.For(0, 0);
        }

        var successes = outcomes.Count(o => o);
        var p = (double)successes / n;
        var (lower, upper) = WilsonInterval.Bounds(p, n / DesignEffect(outcomes, clusterIds, seed, resamples));
        return new Proportion(successes, n, p, lower, upper);
    }

    /// <summary>How many times the variance clustering gives over independent questions: at least 1; 1 when empty; Σ m_i² / n at 0 or n right.</summary>
    public static double DesignEffect(IReadOnlyList<bool> outcomes, IReadOnlyList<string> clusterIds,
        int seed = ClusterBootstrap.DefaultSeed, int resamples = ClusterBootstrap.DefaultResamples)
    {
        var n = outcomes.Count;
        var p = n == 0 ? 0 : (double)outcomes.Count(o => o) / n;
        if (n == 0)
        {
            return 1;
        }

        if (p is 0 or 1)
        {
            return WholeImageDesignEffect(clusterIds);
        }

        var bootstrap = ClusterBootstrap.Mean([.. outcomes.Select(o => o ? 1.0 : 0.0)], clusterIds, seed, resamples);
        var standardError = bootstrap.StandardError ?? 0;
        return Math.Max(1, standardError * standardError / (p * (1 - p) / n));
    }

    /// <summary>The design effect when an image's questions are answered alike (correlation 1): Σ m_i² / n.</summary>
    public static double WholeImageDesignEffect(IReadOnlyList<string> clusterIds)
    {
        var sizes = clusterIds.GroupBy(id => id, StringComparer.Ordinal).Select(g => (double)g.Count());
        return clusterIds.Count == 0 ? 1 : sizes.Sum(m => m * m) / clusterIds.Count;
    }
}
