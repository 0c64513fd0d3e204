using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Inference;

/// <summary>The sign-flip permutation test by image against p-values worked out by hand.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ClusterSignFlipTestTests
{
    [Fact]
    public void FourCoversWonOnceEachGiveTwoInSixteen()
    {
        // Totals +1 on four images, 0 on the rest (which flip to 0): |total| >= 4 only for all-plus or all-minus.
        var result = ClusterSignFlipTest.TwoSided([1, 1, 1, 1, 0, 0], ["a", "b", "c", "d", "e", "f"]);

        Assert.Equal((0.125, true, 6), (result.PValue, result.Exact, result.Clusters));
    }

    [Fact]
    public void QuestionsOfOneImageFlipTogether()
    {
        // Image x sums to 5, y and z to 1 each: observed 7; of the 8 patterns only +5+1+1 and -5-1-1 reach 7.
        var result = ClusterSignFlipTest.TwoSided([2, 3, 1, 1], ["x", "x", "y", "z"]);

        Assert.Equal(0.25, result.PValue);
    }

    [Fact]
    public void AnOpposedPairIsNoEvidenceAtAll()
    {
        // +3 and -1: the patterns give |4|, |2|, |2|, |4|, all at least the observed 2.
        Assert.Equal(1.0, ClusterSignFlipTest.TwoSided([3, -1], ["x", "y"]).PValue);
    }

    [Fact]
    public void BeyondSixteenImagesTheSeededMonteCarloNeverGoesBelowOneInItsDraws()
    {
        var ids = Enumerable.Range(0, 30).Select(i => $"img{i}").ToList();

        var allWon = ClusterSignFlipTest.TwoSided([.. ids.Select(_ => 1.0)], ids);
        var again = ClusterSignFlipTest.TwoSided([.. ids.Select(_ => 1.0)], ids);

        // 2 of 2^30 patterns reach 30: with 10,000 draws none does, and the p-value is (1 + 0) / (1 + 10,000).
        Assert.Equal((1.0 / 10_001, false), (allWon.PValue, allWon.Exact));
        Assert.Equal(allWon, again);
        Assert.Equal(ClusterSignFlipTest.MonteCarloMethod, allWon.Method);
    }
}
