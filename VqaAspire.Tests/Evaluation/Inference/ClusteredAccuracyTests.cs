using VqaAspire.Api.Evaluation.Inference;

namespace VqaAspire.Tests.Evaluation.Inference;

[Trait("Category", "Unit")]
public sealed class ClusteredAccuracyTests
{
    [Fact]
    public void NoneRightIsTheWilsonIntervalOnTheClusteredEffectiveSizeNotZeroWidth()
    {
        // 277 questions on 70 images (69 of 4, one of 1): the design effect at 0 right is Σm²/n = (69 x 16 + 1) / 277 = 1105 / 277,
        // so the effective size is 277² / 1105 = 69.438 and Wilson's upper bound at 0 is (z²/n) / (1 + z²/n) = 0.0524220.
        var outcomes = Enumerable.Repeat(false, 277).ToList();
        var images = Enumerable.Range(0, 277).Select(i => $"image{i / 4}").ToList();

        var accuracy = ClusteredAccuracy.Estimate(outcomes, images);

        Assert.Equal(1105.0 / 277, ClusteredAccuracy.DesignEffect(outcomes, images), 12);
        Assert.Equal((0, 277, 0.0, 0.0), (accuracy.Successes, accuracy.Total, accuracy.Value, accuracy.Lower));
        Assert.Equal(0.0524220, accuracy.Upper, 6);
    }

    [Fact]
    public void AllRightOnIndependentQuestionsKeepsThePlainWilsonInterval()
    {
        // One question per image: Σm²/n = 1, so 6 of 6 reads Wilson's [1 - 0.39033, 1] on n = 6.
        var accuracy = ClusteredAccuracy.Estimate(Enumerable.Repeat(true, 6).ToList(), ["a", "b", "c", "d", "e", "f"]);

        Assert.Equal(1 - 0.3903343, accuracy.Lower, 6);
        Assert.Equal(1.0, accuracy.Upper);
    }

    [Fact]
    public void ClusteringWidensTheWilsonInterval()
    {
        // 20 images of 5 questions, an image's answers all right or all wrong: a design effect near 5.
        var outcomes = Enumerable.Range(0, 100).Select(i => i / 5 % 2 == 0).ToList();
        var images = Enumerable.Range(0, 100).Select(i => $"image{i / 5}").ToList();

        var clustered = ClusteredAccuracy.Estimate(outcomes, images);
        var wilson = WilsonInterval.For(50, 100);

        Assert.InRange(ClusteredAccuracy.DesignEffect(outcomes, images), 3.5, 6.5);
        Assert.Equal(0.5, clustered.Value);
        Assert.True(clustered.Upper - clustered.Lower > 1.8 * (wilson.Upper - wilson.Lower));
    }

    [Fact]
    public void IndependentQuestionsKeepAtLeastTheWilsonWidth()
    {
        var outcomes = Enumerable.Range(0, 100).Select(i => i % 2 == 0).ToList();
        var images = Enumerable.Range(0, 100).Select(i => $"image{i}").ToList();

        var accuracy = ClusteredAccuracy.Estimate(outcomes, images);
        var wilson = WilsonInterval.For(50, 100);

        Assert.True(accuracy.Upper - accuracy.Lower >= wilson.Upper - wilson.Lower - 1e-12);
        Assert.True(accuracy.Upper - accuracy.Lower < 1.3 * (wilson.Upper - wilson.Lower));
    }
}
