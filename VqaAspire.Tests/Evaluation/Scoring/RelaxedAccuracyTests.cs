using VqaAspire.Api.Evaluation.Scoring;

namespace VqaAspire.Tests.Evaluation.Scoring;

[Trait("Category", "Unit")]
public sealed class RelaxedAccuracyTests
{
    [Theory]
    [InlineData("104", "100", true)]
    [InlineData("105", "100", true)]
    [InlineData("106", "100", false)]
    [InlineData("-98", "-100", true)]
    [InlineData("45%", "45", true)]
    [InlineData("1,200", "1200", true)]
    [InlineData("12.", "12", true)]
    [InlineData("0.0", "0", true)]
    [InlineData("0.01", "0", false)]
    [InlineData(" Yes ", "yes", true)]
    [InlineData("blue", "blu", false)]
    [InlineData("100", "one hundred", false)]
    public void NumbersWithinFivePercentOtherwiseExactIgnoringCase(string prediction, string truth, bool expected)
    {
        Assert.Equal(expected, RelaxedAccuracy.IsCorrect(prediction, truth));
    }

    [Fact]
    public void AnyAcceptedAnswerCounts()
    {
        Assert.True(RelaxedAccuracy.IsCorrect("51", ["20", "50"]));
        Assert.Null(RelaxedAccuracy.ParseNumber("about 50"));
    }
}
