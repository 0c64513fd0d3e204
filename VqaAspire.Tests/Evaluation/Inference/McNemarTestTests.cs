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
        // The older entry point gives the same p-value.
        Assert.Equal(test.PValue.Value, Statistics.McNemarExact(first, second).PValue, 12);
    }

    [Fact]
    public void NoPairedExamplesIsNotNoSignificantDifference()
    {
        var test = McNemarTest.Exact("judge lenient (at least Mostly Similar)", [], []);

        Assert.False(test.HasPairs);
        Assert.Null(test.PValue);
        Assert.Equal("no paired examples", test.Describe());
    }
}
