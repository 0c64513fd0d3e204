using VqaAspire.Api.Evaluation;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

[Trait("Category", TestCategories.Unit)]
public sealed class ScoringTests
{
    [Theory]
    // The notebook's rule, quirks included: containment counts, so "No" is found in "Not sure".
    [InlineData("Yes", "Yes", true)]
    [InlineData("yes", "Yes", true)]
    [InlineData("Yes.", "Yes", true)]
    [InlineData("Not sure", "No", true)]
    [InlineData("Yes and no", "Yes", true)]
    [InlineData("I know", "No", true)]
    [InlineData("No", "Yes", false)]
    [InlineData("", "No", false)]
    public void LenientMatchIsTheNotebooksRule(string prediction, string truth, bool expected)
    {
        Assert.Equal(expected, AnswerScoring.LenientMatch(prediction, truth));
    }


    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("same", "same", 0)]
    public void LevenshteinCountsEdits(string a, string b, int expected)
    {
        Assert.Equal(expected, AnswerScoring.Levenshtein(a, b));
    }

    [Fact]
    public void JudgeReadingsStrictAndLenient()
    {
        Assert.True(JudgeRatings.IsVerySimilar("Very Similar"));
        Assert.False(JudgeRatings.IsVerySimilar("Mostly Similar"));
        Assert.True(JudgeRatings.IsAtLeastMostlySimilar("Mostly Similar"));
        Assert.False(JudgeRatings.IsAtLeastMostlySimilar("Somewhat Similar"));
        Assert.False(JudgeRatings.IsAtLeastMostlySimilar(null));
    }
}
