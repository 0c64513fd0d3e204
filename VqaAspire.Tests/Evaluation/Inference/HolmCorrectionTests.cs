using VqaAspire.Api.Evaluation.Inference;

namespace VqaAspire.Tests.Evaluation.Inference;

[Trait("Category", "Unit")]
public sealed class HolmCorrectionTests
{
    [Fact]
    public void MultipliesBySmallerFamiliesAndKeepsTheOrder()
    {
        // Sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04; the last is raised to 0.06 so the order holds.
        var adjusted = HolmCorrection.Adjust([0.01, 0.04, 0.03]);

        Assert.Equal([0.03, 0.06, 0.06], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void CapsAtOne()
    {
        Assert.Equal([1.0, 1.0], HolmCorrection.Adjust([0.6, 0.5]));
        Assert.Empty(HolmCorrection.Adjust([]));
    }

    [Fact]
    public void TestsWithoutPairsAreLeftOutOfTheFamily()
    {
        McNemarResult[] tests =
        [
            new("judge strict", 40, 12, 3, 0.01),
            new("judge lenient", 0, 0, 0, null),
            new("yes/no", 40, 8, 4, 0.04),
        ];

        var adjusted = HolmCorrection.AdjustTests(tests);

        // Two tests, not three: 0.01 x 2 and 0.04 x 1.
        Assert.Equal(0.02, adjusted[0].AdjustedPValue!.Value, 12);
        Assert.Null(adjusted[1].AdjustedPValue);
        Assert.Equal(0.04, adjusted[2].AdjustedPValue!.Value, 12);
        Assert.Equal("significant difference (Holm-adjusted p = 0.02)", adjusted[0].Describe());
        Assert.Equal("significant difference (Holm-adjusted p < 0.001)", (adjusted[0] with { AdjustedPValue = 7.6e-6 }).Describe());
        Assert.Equal("no paired examples", adjusted[1].Describe());
    }
}
