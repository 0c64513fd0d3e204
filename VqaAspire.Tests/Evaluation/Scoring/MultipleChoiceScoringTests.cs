using VqaAspire.Api.Evaluation.Scoring;

namespace VqaAspire.Tests.Evaluation.Scoring;

[Trait("Category", "Unit")]
public sealed class MultipleChoiceScoringTests
{
    private static readonly string[] Choices = ["cat", "dog", "bird"];

    [Theory]
    [InlineData("B", 1)]
    [InlineData("(B)", 1)]
    [InlineData("B.", 1)]
    [InlineData("b", 1)]
    [InlineData("A", 0)]
    [InlineData("The answer is B.", 1)]
    [InlineData("Answer: (C)", 2)]
    [InlineData("(C) bird", 2)]
    [InlineData("Dog.", 1)]
    [InlineData("It is a dog", 1)]
    [InlineData("cat or dog", null)]
    [InlineData("D", null)]
    [InlineData("I cannot tell", null)]
    public void ReadsTheOptionLetterOrTheOptionText(string answer, int? expected)
    {
        Assert.Equal(expected, MultipleChoiceScoring.ExtractChoice(answer, Choices));
    }

    [Fact]
    public void RightWhenTheNamedChoiceIsTheTruth()
    {
        Assert.True(MultipleChoiceScoring.IsCorrect("B", Choices, "dog"));
        Assert.True(MultipleChoiceScoring.IsCorrect("dog", Choices, 1));
        Assert.False(MultipleChoiceScoring.IsCorrect("A", Choices, "dog"));
        Assert.False(MultipleChoiceScoring.IsCorrect("B", Choices, "fish"));
    }

    [Fact]
    public void ChoicesAreReadFromThePreparedQuestion()
    {
        Assert.Equal(Choices, MultipleChoiceScoring.ChoicesFromQuestion("Which animal flies?\nChoices: cat; dog; bird"));
        Assert.Empty(MultipleChoiceScoring.ChoicesFromQuestion("Which animal flies?"));
    }
}
