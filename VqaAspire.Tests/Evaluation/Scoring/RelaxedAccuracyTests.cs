using VqaAspire.Api.Evaluation.Scoring;

namespace VqaAspire.Tests.Evaluation.Scoring;

/// <summary>Pinned to the reference relaxed_correctness (pix2struct/metrics.py), worked by hand.</summary>
[Trait("Category", "Unit")]
public sealed class RelaxedAccuracyTests
{
    [Theory]
    // |104 - 100| / 100 = 0.04 <= 0.05; 0.05 is in; 0.06 is out.
    [InlineData("104", "100", true)]
    [InlineData("105", "100", true)]
    [InlineData("106", "100", false)]
    [InlineData("-98", "-100", true)]
    // Python's float() reads "12." as 12 and ignores surrounding whitespace around a number.
    [InlineData("12.", "12", true)]
    [InlineData(" 12 ", "12", true)]
    [InlineData("1_000", "1000", true)]
    // A trailing % divides by 100: "45%" is 0.45, not 45 (the official behaviour, however odd).
    [InlineData("45%", "45", false)]
    [InlineData("45%", "0.45", true)]
    [InlineData("45", "45%", false)]
    // No thousands commas: "1,200" is text, and text must equal.
    [InlineData("1,200", "1200", false)]
    // A truth of 0 is falsy: the texts must equal, ignoring case.
    [InlineData("0.0", "0", false)]
    [InlineData("0", "0", true)]
    // Text: equal ignoring case, nothing trimmed.
    [InlineData("YES", "yes", true)]
    [InlineData(" Yes ", "yes", false)]
    [InlineData("Yes.", "yes", false)]
    [InlineData("blue", "blu", false)]
    [InlineData("100", "one hundred", false)]
    public void FollowsTheReferenceRelaxedCorrectness(string prediction, string truth, bool expected)
    {
        Assert.Equal(expected, RelaxedAccuracy.IsCorrect(prediction, truth));
    }

    [Theory]
    [InlineData("12.", 12.0)]
    [InlineData("-1e3", -1000.0)]
    [InlineData("50%", 0.5)]
    [InlineData("1__0", null)]
    [InlineData("_10", null)]
    [InlineData("1,200", null)]
    [InlineData("about 50", null)]
    [InlineData(".", null)]
    [InlineData("", null)]
    public void ReadsNumbersAsPythonsFloat(string text, double? expected)
    {
        Assert.Equal(expected, RelaxedAccuracy.ParseNumber(text));
    }

    [Fact]
    public void AnyAcceptedAnswerCounts()
    {
        Assert.True(RelaxedAccuracy.IsCorrect("51", ["20", "50"]));
        Assert.False(RelaxedAccuracy.IsCorrect("53", ["20", "50"]));
    }
}
