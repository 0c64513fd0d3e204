namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// When a paired difference names a better model: at least <see cref="CoversNeeded"/> images, the 95% cluster-bootstrap
/// interval leaves out 0, and the sign-flip permutation test by image agrees at 5% two-sided. The percentile bootstrap
/// alone runs above its level with few images (about 9% false winners at 5 images, 7% at 10); the exact or Monte Carlo
/// permutation test keeps its level at any count, and below 20 images the reading is "too few covers to tell".
/// </summary>
public static class PairedVerdictRule
{
    public const int CoversNeeded = 20;

    public const double Alpha = 0.05;

    /// <param name="a">Model A's score on each example.</param>
    /// <param name="b">Model B's score on each example, aligned with <paramref name="a"/>.</param>
    /// <param name="clusterIds">Each example's image.</param>
    /// <param name="coversNeeded">Images needed before a winner may be named.</param>
    /// <param name="adjustedPValue">
    /// The sign-flip p-value after a multiplicity adjustment (Holm across the pairs of three or more models), which then
    /// decides in place of the unadjusted one; null with one pair.
    /// </param>
    public static PairedDecision Decide(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<string> clusterIds, int coversNeeded = CoversNeeded,
        double? adjustedPValue = null)
    {
        var difference = ClusterBootstrap.Difference(a, b, clusterIds);
        if (!difference.HasPairs)
        {
            return new PairedDecision(difference, null, PairedDecisionKind.NoPairs);
        }

        var test = ClusterSignFlipTest.TwoSided([.. a.Select((x, i) => b[i] - x)], clusterIds);
        var kind = difference.Clusters < coversNeeded ? PairedDecisionKind.TooFewCovers
            : !difference.ExcludesZero || (adjustedPValue ?? test.PValue) >= Alpha ? PairedDecisionKind.NoClearDifference
            : difference.Points > 0 ? PairedDecisionKind.BBetter
            : PairedDecisionKind.ABetter;
        return new PairedDecision(difference, test, kind);
    }
}

public enum PairedDecisionKind
{
    NoPairs,
    TooFewCovers,
    NoClearDifference,
    ABetter,
    BBetter,
}

/// <param name="Test">The sign-flip test by image; null without pairs.</param>
public sealed record PairedDecision(PairedDifference Difference, SignFlipResult? Test, PairedDecisionKind Kind)
{
    public bool NamesWinner => Kind is PairedDecisionKind.ABetter or PairedDecisionKind.BBetter;
}
