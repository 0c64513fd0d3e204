using VqaAspire.Api.Evaluation;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

[Trait("Category", TestCategories.Unit)]
public sealed class StatisticsTests
{
    [Fact]
    public void McNemarExactMatchesTheBinomialTail()
    {
        // 10 examples only A got right, 2 only B: n = 12, P(X <= 2) = (1 + 12 + 66) / 4096, doubled.
        var a = Outcomes((true, false, 10), (false, true, 2), (true, true, 30), (false, false, 8));
        var b = Outcomes((false, false, 10), (true, true, 2), (true, true, 30), (false, false, 8));

        var (onlyA, onlyB, p) = Statistics.McNemarExact(a, b);

        Assert.Equal((10, 2), (onlyA, onlyB));
        Assert.Equal(2 * 79.0 / 4096, p, 10);
    }

    [Fact]
    public void McNemarOfIdenticalModelsIsOne()
    {
        var a = Enumerable.Range(0, 20).Select(i => i % 3 == 0).ToList();

        Assert.Equal(1.0, Statistics.McNemarExact(a, a).PValue);
    }

    [Fact]
    public void McNemarOfABalancedSplitIsOne()
    {
        // 5 and 5 discordant: as far from a difference as can be.
        var a = Outcomes((true, false, 5), (false, true, 5));
        var b = Outcomes((false, false, 5), (true, true, 5));

        Assert.Equal(1.0, Statistics.McNemarExact(a, b).PValue, 10);
    }

    [Fact]
    public void BootstrapIntervalOfHalfOnAHundredIsAboutPlusMinusTen()
    {
        var outcomes = Enumerable.Range(0, 100).Select(i => i % 2 == 0).ToList();

        var accuracy = Statistics.BootstrapAccuracy(outcomes);

        Assert.Equal(0.5, accuracy.Value);
        // Normal approximation: 0.5 +/- 1.96 * 0.05.
        Assert.InRange(accuracy.Lower, 0.39, 0.42);
        Assert.InRange(accuracy.Upper, 0.58, 0.61);
        Assert.Equal(accuracy, Statistics.BootstrapAccuracy(outcomes));
    }

    [Fact]
    public void BootstrapOfAllRightIsADegenerateInterval()
    {
        var accuracy = Statistics.BootstrapAccuracy(Enumerable.Repeat(true, 30).ToList());

        Assert.Equal((1.0, 1.0, 1.0), (accuracy.Value, accuracy.Lower, accuracy.Upper));
        Assert.True(double.IsNaN(Statistics.BootstrapAccuracy([]).Value));
    }

    private static List<bool> Outcomes(params (bool First, bool Second, int Count)[] groups) =>
        [.. groups.SelectMany(g => Enumerable.Repeat(g.First, g.Count))];
}
