using VqaAspire.OpenAIEmulator.Chat;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>The documented arithmetic behind the emulator's numbers.</summary>
[Trait("Category", TestCategories.Unit)]
public class ModelPolicyTests
{
    [Theory]
    [InlineData(1024, 1024, "high", 765)]
    [InlineData(2048, 4096, "high", 1105)]
    [InlineData(4096, 8192, "auto", 1105)]
    [InlineData(512, 512, "high", 255)]
    [InlineData(300, 200, null, 255)]
    [InlineData(4096, 4096, "low", 85)]
    public void ImageTokensFollowTheGpt4oTileFormula(int width, int height, string? detail, int expected) =>
        Assert.Equal(expected, TokenCounts.ImageTokens(width, height, detail));

    [Fact]
    public void TextTokensAreCountedWithTheO200kTokenizerAndALongRunWithoutSpacesInBoundedPieces()
    {
        Assert.Equal(2, TokenCounts.TextTokens("Hello world"));
        Assert.Equal(70_000, TokenCounts.TextTokens(string.Concat(Enumerable.Repeat(" word", 70_000))));

        // BPE is quadratic in a word's length: 300 KB of base64 pasted as text would hold a request for tens of seconds.
        // Counted in pieces of at most 512 characters, its time is bounded: the count is the pieces' counts summed.
        var o200k = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForModel("gpt-4o");
        var pieces = 300_000 / 512;
        var expected = pieces * o200k.CountTokens(new string('A', 512)) + o200k.CountTokens(new string('A', 300_000 - pieces * 512));
        Assert.Equal(expected, TokenCounts.TextTokens(new string('A', 300_000)));
    }

    [Theory]
    [InlineData("Question: Is this book related to Travel?", "yes/no")]
    [InlineData("Who wrote this book?", "author")]
    [InlineData("Who is the author of this book?", "author")]
    [InlineData("What is the title of this book?", "title")]
    [InlineData("What is the genre of this book?", "genre")]
    [InlineData("What type of book is this?", "genre")]
    [InlineData("What is the edition?", "other")]
    public void QuestionsAreSortedIntoTheDocumentedKinds(string question, string kind) =>
        Assert.Equal(kind, AnswerPolicy.QuestionKind(AnswerPolicy.NormaliseQuestion(question)));

    [Fact]
    public void BaseModelsAnswerByTheFixedKnowledgeFreePolicy()
    {
        Assert.Equal("No", AnswerPolicy.BaseAnswer(AnswerPolicy.NormaliseQuestion("Is this a religious book?")));
        Assert.Equal("I cannot tell from the image.", AnswerPolicy.BaseAnswer(AnswerPolicy.NormaliseQuestion("Who wrote this book?")));
    }

    [Fact]
    public void AFineTunedModelFallsBackFromTheExactPairToTheMostFrequentAnswerOfTheKindToTheBasePolicy()
    {
        var knowledge = new TrainedKnowledge
        {
            JobId = "ftjob-x",
            FineTunedModel = "ft:gpt-4o-2024-08-06:o::x",
            Answers = { [TrainedKnowledge.Key("abc", "who wrote this book")] = "Jane Doe" },
            AnswersByKind = { ["author"] = "John Doe" },
        };

        Assert.Equal("Jane Doe", ChatCompletionService.AnswerFor("who wrote this book", "abc", knowledge));
        Assert.Equal("John Doe", ChatCompletionService.AnswerFor("who wrote this book", "other-image", knowledge));
        Assert.Equal("No", ChatCompletionService.AnswerFor("is this a cookbook", "abc", knowledge));
    }

    [Theory]
    [InlineData(1.0, "Very Similar")]
    [InlineData(0.8, "Very Similar")]
    [InlineData(0.6, "Mostly Similar")]
    [InlineData(0.3, "Somewhat Similar")]
    [InlineData(0.1, "Incorrect")]
    public void RatingsCutSimilarityIntoEqualBands(double similarity, string rating) =>
        Assert.Equal(rating, AnswerPolicy.Rate(similarity, ["Very Similar", "Mostly Similar", "Somewhat Similar", "Incorrect"]));
}
