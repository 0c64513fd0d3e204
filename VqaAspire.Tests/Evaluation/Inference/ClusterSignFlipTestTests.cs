using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Inference;

/// <summary>The clustered McNemar-type test, worked by hand on small sign-flip distributions.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ClusterSignFlipTestTests
{
    [Fact]
    public void OneQuestionPerImageIsExactlyMcNemarsExactTest()
    {
        // Four discordant pairs all for B on four images: 2 x (1/2)^4 = 0.125, as the exact McNemar test gives.
        bool[] a = [false, false, false, false, true, true];
        bool[] b = [true, true, true, true, true, true];
        string[] images = ["1", "2", "3", "4", "5", "6"];

        var clustered = McNemarTest.Clustered("yes/no strict", a, b, images);

        Assert.Equal(0.125, clustered.PValue!.Value, 12);
        Assert.Equal(McNemarTest.ExactPValue(0, 4), clustered.PValue!.Value, 12);
        Assert.Equal((6, 0, 4, 6), (clustered.Pairs, clustered.OnlyFirst, clustered.OnlySecond, clustered.Clusters));
    }

    [Fact]
    public void QuestionsOfOneCoverMoveTogetherSoTheyCountAsOneImage()
    {
        // Three discordant pairs for B: two on cover x, one on cover y. Image sums 2 and 1; flips give ±2 ±1 = 3, 1, -1, -3,
        // each 1/4, so P(|T| >= 3) = 1/2. Taken as independent, McNemar's exact p would be 2 x (1/2)^3 = 0.25.
        bool[] a = [false, false, false];
        bool[] b = [true, true, true];
        string[] images = ["x", "x", "y"];

        var clustered = McNemarTest.Clustered("judge strict (Very Similar)", a, b, images);

        Assert.Equal(0.5, clustered.PValue!.Value, 12);
        Assert.Equal(0.25, McNemarTest.Exact("judge strict (Very Similar)", a, b).PValue!.Value, 12);
        Assert.StartsWith("no significant difference (clustered by 2 images, p = 0.5)", clustered.Describe());
    }

    [Fact]
    public void DiscordanceThatCancelsWithinACoverIsNoEvidence()
    {
        // Cover x: one for A and one for B (sum 0); cover y: one for B. Only y's sign flips: P(|T| >= 1) = 1.
        Assert.Equal(1.0, ClusterSignFlipTest.PValue([1.0, 0.0, 1.0], [0.0, 1.0, 1.0], ["x", "x", "y"]) is { } p ? p : double.NaN, 12);
        Assert.Equal(1.0, ClusterSignFlipTest.PValue([0.0, 1.0], [0.0, 1.0], ["x", "y"]));
    }

    [Fact]
    public void GradedScoresAreEnumeratedOverEverySignPattern()
    {
        // Image sums 0.5, 0.25, 0.25 (ANLS-like): totals ±0.5 ±0.25 ±0.25 over 8 patterns are 1, 0.5, 0.5, 0, 0, -0.5, -0.5, -1;
        // the observed 1 is matched by 1 and -1: p = 2/8.
        Assert.Equal(0.25, ClusterSignFlipTest.PValue([0.5, 0.25, 0.25]), 12);
    }

    [Fact]
    public void WithoutPairsThereIsNoPValue()
    {
        Assert.Null(ClusterSignFlipTest.PValue([], [], []));
        var none = McNemarTest.Clustered("yes/no strict", [], [], []);
        Assert.Null(none.PValue);
        Assert.Equal("no paired examples", none.Describe());
    }

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
    public void BeyondSixteenImagesOfFractionalSumsTheSeededMonteCarloNeverGoesBelowOneInItsDraws()
    {
        var ids = Enumerable.Range(0, 30).Select(i => $"img{i}").ToList();

        var allWon = ClusterSignFlipTest.TwoSided([.. ids.Select(_ => 0.5)], ids);
        var again = ClusterSignFlipTest.TwoSided([.. ids.Select(_ => 0.5)], ids);

        // 2 of 2^30 patterns reach 15: with 20,000 draws none does, and the p-value is (1 + 0) / (1 + 20,000).
        Assert.Equal((1.0 / 20_001, false), (allWon.PValue, allWon.Exact));
        Assert.Equal(allWon, again);
        Assert.Equal(ClusterSignFlipTest.MonteCarloMethod, allWon.Method);
    }
}
