using VqaAspire.Api.Evaluation.Inference;

namespace VqaAspire.Tests.Evaluation.Inference;

[Trait("Category", "Unit")]
public sealed class WilsonIntervalTests
{
    [Fact]
    public void NoneRightOf277IsNotAZeroWidthInterval()
    {
        // At p = 0 the upper bound is z^2 / (n + z^2) = 3.8415 / 280.8415.
        var accuracy = WilsonInterval.For(0, 277);

        Assert.Equal((0.0, 0.0), (accuracy.Value, accuracy.Lower));
        Assert.Equal(0.0136784, accuracy.Upper, 6);
    }

    [Fact]
    public void AllRightMirrorsNoneRight()
    {
        var accuracy = WilsonInterval.For(277, 277);

        Assert.Equal((1.0, 1.0), (accuracy.Value, accuracy.Upper));
        Assert.Equal(1 - 0.0136784, accuracy.Lower, 6);
    }

    [Fact]
    public void HalfOfTenMatchesTheTextbookValue()
    {
        // Centre (0.5 + 0.1921) / 1.3841 = 0.5; half-width 1.96 sqrt(0.025 + 0.0096) / 1.3841 = 0.2634.
        var accuracy = WilsonInterval.For(5, 10);

        Assert.Equal(0.236593, accuracy.Lower, 6);
        Assert.Equal(0.763407, accuracy.Upper, 6);
        Assert.True(double.IsNaN(WilsonInterval.For(0, 0).Value));
    }
}
