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
}
