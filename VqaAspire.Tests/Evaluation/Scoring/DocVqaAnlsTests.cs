using VqaAspire.Api.Evaluation.Scoring;

namespace VqaAspire.Tests.Evaluation.Scoring;

[Trait("Category", "Unit")]
public sealed class DocVqaAnlsTests
{
    [Fact]
    public void ASimilarityOfExactlyHalfScoresZero()
    {
        // "ab" against "ac": one edit over two characters, a distance of 0.5, which DocVQA scores 0.
        Assert.Equal(0.5, DocVqaAnls.NormalizedDistance("ab", "ac"));
        Assert.Equal(0.0, DocVqaAnls.Score("ab", ["ac"]));
    }

    [Fact]
    public void ScoreIsOneMinusTheNormalisedDistanceBelowTheThreshold()
    {
        Assert.Equal(2.0 / 3, DocVqaAnls.Score("abc", ["abd"]), 10);
        // Punctuation is not normalised: the period is one edit over 13 characters.
        Assert.Equal(1 - 1.0 / 13, DocVqaAnls.Score("Stephen King.", ["stephen king"]), 10);
    }

    [Fact]
    public void OnlyCaseAndWhitespaceAreNormalised()
    {
        Assert.Equal("stephen king", DocVqaAnls.Normalize("  Stephen \t KING "));
        Assert.Equal(1.0, DocVqaAnls.Score("  Stephen   KING ", ["stephen king"]));
    }

    [Fact]
    public void TheBestAcceptedAnswerCounts()
    {
        Assert.Equal(1.0, DocVqaAnls.Score("nyc", ["New York", "NYC"]));
        Assert.Equal(0.0, DocVqaAnls.Score("anything", []));
    }
}
