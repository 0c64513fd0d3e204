using VqaAspire.Api.Evaluation;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Verdicts;

/// <summary>
/// The headline and the scores shown beside it are on the same examples, the ones both models answered, and each
/// model's coverage is beside them. Hand-worked: 100 examples on 25 covers of 4; base answers all and is right on the
/// even ones (50 of 100); fine-tuned answers only the first 60 and is right on 36 of them (the 30 even ones and 6 odd).
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class HeadlineOnSameExamplesTests
{
    private static readonly EvaluationModel[] Models = [new("base", "gpt-4o-2024-08-06"), new("fine-tuned", "ft:gpt-4o-2024-08-06:org::x")];

    [Fact]
    public void TheHeadlineIsTheDifferenceOfTheScoresBesideItOnTheExamplesBothAnswered()
    {
        var examples = Enumerable.Range(0, 100).Select(i => new TestExample(i + 1, $"cover{i / 4}#q{i % 4}", "Who wrote this book?", "Ann", ["Ann"], "Author", null)).ToList();
        var results = examples.Select((e, i) => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, null,
        [
            Answer("base", i % 2 == 0 ? "Ann" : "Bob"),
            i >= 60 ? new ModelAnswer("fine-tuned", null, "HTTP 404", null, null, null, null) : Answer("fine-tuned", i % 2 == 0 || i < 12 ? "Ann" : "Bob"),
        ])).ToList();

        var headline = EvaluationSummarizer.Summarize(examples, results, Models, "ocr-vqa", false, "gpt-4.1").Headline!;

        // On the 60 both answered: base 30/60 = 50.0, fine-tuned 36/60 = 60.0, so +10.0, not the +6 or -14 of other denominators.
        Assert.Equal((60, 15), (headline.Pairs, headline.Images));
        Assert.Equal((50.0, 60.0, 10.0), (headline.ScoreA, headline.ScoreB, headline.Points));
        Assert.Equal((100, 60, 100), (headline.AnsweredA, headline.AnsweredB, headline.Total));
        Assert.Equal(headline.ScoreB - headline.ScoreA, headline.Points);
    }

    [Fact]
    public void TheReadingSaysWhichExamplesAndEachModelsCoverage()
    {
        var headline = new PairedComparison("base", "fine-tuned", "Exact match", "all", 60, 15, 10, 2, 18, "+10.0 points (95% CI +2.0 to +18.0)",
            ScoreA: 50, ScoreB: 60, AnsweredA: 100, AnsweredB: 60, Total: 100);

        Assert.Equal(", on the 60 examples both answered (base 50.0, fine-tuned 60.0); answered: base 100/100, fine-tuned 60/100",
            EvaluationReadings.OnTheSameExamples(headline));
    }

    private static ModelAnswer Answer(string model, string text) => new(model, text, null, null, text == "Ann", text == "Ann" ? 1 : 0, null);
}
