using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Inference;

namespace VqaAspire.Tests.Evaluation.Inference;

[Trait("Category", "Unit")]
public sealed class McNemarTestTests
{
    [Fact]
    public void OneAgainstNineIsTheDoubledBinomialTail()
    {
        // n = 10 discordant pairs: P(X <= 1) = (1 + 10) / 1024, doubled = 22 / 1024.
        Assert.Equal(22.0 / 1024, McNemarTest.ExactPValue(1, 9), 12);
        Assert.Equal(22.0 / 1024, McNemarTest.ExactPValue(9, 1), 12);
        Assert.Equal(1.0, McNemarTest.ExactPValue(0, 0));
    }

    [Fact]
    public void CountsTheDiscordantPairsOfAlignedOutcomes()
    {
        bool[] first = [true, false, false, false, true, false];
        bool[] second = [false, true, true, true, true, false];

        var test = McNemarTest.Exact("judge strict (Very Similar)", first, second);

        Assert.Equal((6, 1, 3), (test.Pairs, test.OnlyFirst, test.OnlySecond));
        // P(X <= 1) for n = 4 is 5 / 16, doubled.
        Assert.Equal(10.0 / 16, test.PValue!.Value, 12);
        Assert.Equal("no significant difference (p = 0.625)", test.Describe());
    }

    [Fact]
    public void NoPairedExamplesIsNotNoSignificantDifference()
    {
        var test = McNemarTest.Exact("judge lenient (at least Mostly Similar)", [], []);

        Assert.False(test.HasPairs);
        Assert.Null(test.PValue);
        Assert.Equal("no paired examples", test.Describe());
    }

    [Fact]
    public void TheExactTestIsTheBinomialTailOfTheDiscordantPairs()
    {
        // 10 examples only the first got right, 2 only the second: n = 12, P(X <= 2) = (1 + 12 + 66) / 4096, doubled.
        var first = Outcomes((true, 10), (false, 2), (true, 30), (false, 8));
        var second = Outcomes((false, 10), (true, 2), (true, 30), (false, 8));

        var test = McNemarTest.Exact("exact match", first, second);

        Assert.Equal((10, 2), (test.OnlyFirst, test.OnlySecond));
        Assert.Equal(2 * 79.0 / 4096, test.PValue!.Value, 10);
    }

    [Fact]
    public void IdenticalModelsAndABalancedSplitGiveOne()
    {
        var same = Enumerable.Range(0, 20).Select(i => i % 3 == 0).ToList();
        Assert.Equal(1.0, McNemarTest.Exact("exact match", same, same).PValue);

        // 5 and 5 discordant: as far from a difference as can be.
        Assert.Equal(1.0, McNemarTest.Exact("exact match", Outcomes((true, 5), (false, 5)), Outcomes((false, 5), (true, 5))).PValue!.Value, 10);
    }

    private static List<bool> Outcomes(params (bool Value, int Count)[] groups) =>
        [.. groups.SelectMany(g => Enumerable.Repeat(g.Value, g.Count))];
}
