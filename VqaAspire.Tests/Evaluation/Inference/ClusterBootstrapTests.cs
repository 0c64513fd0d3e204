using VqaAspire.Api.Evaluation.Inference;

namespace VqaAspire.Tests.Evaluation.Inference;

[Trait("Category", "Unit")]
public sealed class ClusterBootstrapTests
{
    [Fact]
    public void TheSameSeedGivesTheSameInterval()
    {
        var (scores, images) = Mixed(300);

        var first = ClusterBootstrap.Mean(scores, images, seed: 7);

        Assert.Equal(first, ClusterBootstrap.Mean(scores, images, seed: 7));
        Assert.NotEqual(first, ClusterBootstrap.Mean(scores, images, seed: 8));
    }

    [Fact]
    public void TheIntervalContainsThePointEstimate()
    {
        var (scores, images) = Mixed(300);

        var estimate = ClusterBootstrap.Mean(scores, images);

        Assert.Equal(scores.Average(), estimate.Value!.Value, 12);
        Assert.InRange(estimate.Value.Value, estimate.Lower!.Value, estimate.Upper!.Value);
        Assert.True(estimate.Lower < estimate.Upper);
        Assert.Equal((300, 100), (estimate.Count, estimate.Clusters));
    }

    [Fact]
    public void ClustersWithEqualMeansGiveAZeroWidthInterval()
    {
        // Every image has one right and one wrong answer: any resample of images is 50%.
        double[] scores = [1, 0, 1, 0, 1, 0, 1, 0];
        string[] images = ["a", "a", "b", "b", "c", "c", "d", "d"];

        var estimate = ClusterBootstrap.Mean(scores, images);

        Assert.Equal((0.5, 0.5, 0.5), (estimate.Value, estimate.Lower, estimate.Upper));
        // Pretending the answers are independent gives a wide interval on the same scores.
        var independent = ClusterBootstrap.Mean(scores, [.. images.Select((_, i) => $"{i}")]);
        Assert.True(independent.Upper - independent.Lower > 0.3);
    }

    [Fact]
    public void ClusteredAnswersGiveAWiderIntervalThanPretendingIndependence()
    {
        // 20 images of 5 questions each, an image's answers all right or all wrong: really 20 observations, not 100.
        var scores = Enumerable.Range(0, 100).Select(i => i / 5 % 2 == 0 ? 1.0 : 0.0).ToList();
        var images = Enumerable.Range(0, 100).Select(i => $"image{i / 5}").ToList();

        var clustered = ClusterBootstrap.Mean(scores, images);
        var independent = ClusterBootstrap.Mean(scores, [.. images.Select((_, i) => $"{i}")]);

        // About sqrt(5) times wider.
        Assert.True(clustered.Upper - clustered.Lower > 1.8 * (independent.Upper - independent.Lower));
    }

    [Fact]
    public void PairedDifferenceIsFineTunedMinusBaseInPoints()
    {
        double[] baseScores = [0, 0, 1, 1, 0, 1];
        double[] fineTuned = [1, 1, 1, 0, 1, 1];
        string[] images = ["a", "a", "b", "b", "c", "c"];

        var difference = ClusterBootstrap.Difference(baseScores, fineTuned, images);

        // Differences 100, 100, 0, -100, 100, 0: a mean of 33.3 points.
        Assert.Equal(100.0 / 3, difference.Points!.Value, 10);
        Assert.InRange(difference.Points.Value, difference.Lower!.Value, difference.Upper!.Value);
        Assert.Equal((6, 3), (difference.Pairs, difference.Clusters));
        Assert.StartsWith("+33.3 points (95% CI ", difference.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoPairedExamplesReadsSo()
    {
        var difference = ClusterBootstrap.Difference([], [], []);

        Assert.False(difference.HasPairs);
        Assert.False(difference.ExcludesZero);
        Assert.Null(difference.Points);
        Assert.Equal("no paired examples", difference.Describe());
    }

    [Fact]
    public void TheIntervalDependsOnEachImagesTotalsNotOnTheOrderOfItsExamples()
    {
        // Resampled by image, drawing images with their totals: the examples' order within an image changes nothing
        // (and the work per resample is one draw per image, not per example).
        var (scores, images) = Mixed(1000);
        var fineTuned = scores.Select(s => 1 - s).ToList();
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => i / 3).ThenByDescending(i => i % 3).ToList();
        Assert.NotEqual(Enumerable.Range(0, scores.Count), order);

        var difference = ClusterBootstrap.Difference(scores, fineTuned, images);
        var shuffled = ClusterBootstrap.Difference([.. order.Select(i => scores[i])], [.. order.Select(i => fineTuned[i])], [.. order.Select(i => images[i])]);

        Assert.Equal(difference.Describe(), shuffled.Describe());
    }

    // Three questions per image, right or wrong in a fixed pseudo-random pattern.
    private static (List<double> Scores, List<string> Images) Mixed(int count) =>
        ([.. Enumerable.Range(0, count).Select(i => (i * 7919 % 13) < 8 ? 1.0 : 0.0)],
         [.. Enumerable.Range(0, count).Select(i => $"image{i / 3}")]);
}
