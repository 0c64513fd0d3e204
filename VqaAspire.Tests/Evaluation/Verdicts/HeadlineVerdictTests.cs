using VqaAspire.Api.Evaluation;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Verdicts;

/// <summary>
/// The verdict on hand-worked evaluations: unanswered questions (a failed deployment) never decide it, too few covers
/// never name a winner, and the interval alone is not enough without the sign-flip test by image.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class HeadlineVerdictTests
{
    private static readonly EvaluationModel[] Models = [new("base", "gpt-4o-2024-08-06"), new("fine-tuned", "ft:gpt-4o-2024-08-06:org::x")];

    // One question per cover, so covers are examples: 'R' right, 'W' wrong, '-' unanswered.
    private static EvaluationSummary Summarize(string a, string b) =>
        Summarize(a, b, questionsPerCover: 1);

    [Fact]
    public void AModelThatLeftMoreThanTwoPercentUnansweredIsNamedWithItsCoverageAndNoWinner()
    {
        // Fine-tuned is right on 60 covers base gets wrong, but left 3 of 100 (3%) unanswered.
        var summary = Summarize(new string('W', 60) + new string('R', 40), new string('R', 97) + "---");

        var verdict = summary.Verdict!;
        Assert.Equal((VerdictOutcomes.TooManyUnanswered, null), (verdict.Outcome, verdict.Winner));
        Assert.Equal([("base", 100, 100), ("fine-tuned", 97, 100)], verdict.Coverage.Select(c => (c.Name, c.Answered, c.Total)));
        Assert.Contains("'fine-tuned' left 3 of 100 unanswered (3.0%), more than the 2.0% allowed", verdict.Reading);
        Assert.Contains("failures of the deployment (404, 500, timeouts), not of the model", verdict.Reading);
        Assert.DoesNotContain("is better", summary.Reading);
        Assert.Contains(verdict.Reading, summary.Reading);
    }

    [Fact]
    public void AFailedDeploymentThatAnsweredNothingNamesNoWinner()
    {
        var summary = Summarize(new string('R', 30), new string('-', 30));

        Assert.Equal(VerdictOutcomes.TooManyUnanswered, summary.Verdict!.Outcome);
        Assert.Contains("'fine-tuned' left 30 of 30 unanswered (100.0%)", summary.Verdict.Reading);
        Assert.Equal(-100, summary.Verdict.UnansweredAsWrong!.Points);
    }

    [Fact]
    public void AtTheTwoPercentLimitAClearDifferenceOnWhichBothReadingsAgreeNamesTheWinner()
    {
        var summary = Summarize(new string('W', 60) + new string('R', 40), new string('R', 98) + "--");

        var verdict = summary.Verdict!;
        Assert.Equal((VerdictOutcomes.Better, "fine-tuned"), (verdict.Outcome, verdict.Winner));
        Assert.Equal((98, 20), (verdict.Covers, verdict.CoversNeeded)); // The covers both answered.
        Assert.True(verdict.SignFlipPValue < 0.001);
        Assert.Equal(ClusterSignFlipMethods.Exact, verdict.SignFlipMethod);
        Assert.StartsWith("fine-tuned is better: the interval leaves out 0 and the sign-flip test by image agrees (", verdict.Reading);
    }

    [Fact]
    public void WhenCountingUnansweredAsWrongDoesNotNameTheSameWinnerNoWinnerIsNamed()
    {
        // 100 covers. Both answered 98: fine-tuned alone right on 6, no reverse, so +6.1 points, every resample of images
        // but 0.25% above 0, and the sign-flip p about 2/2^6 = 0.031. Fine-tuned left 2 unanswered (2%), both right for
        // base: counted wrong, 6 for and 2 against, p = 2 (C(8,6) + C(8,7) + C(8,8)) / 2^8 = 0.289.
        var summary = Summarize(new string('W', 6) + new string('R', 94), new string('R', 98) + "--");

        var verdict = summary.Verdict!;
        Assert.Equal((VerdictOutcomes.ReadingsDisagree, null), (verdict.Outcome, verdict.Winner));
        Assert.InRange(verdict.SignFlipPValue!.Value, 0.025, 0.04);
        Assert.Equal(4, verdict.UnansweredAsWrong!.Points);
        Assert.Contains("counting unanswered questions as wrong gives +4.0 points", verdict.Reading);
        Assert.Contains("the unanswered questions could decide it", verdict.Reading);
    }

    [Fact]
    public void FourQuestionsWonOnFourOfAHundredCoversAreNoClearDifferenceThoughTheIntervalLeavesOutZero()
    {
        // The case: a resample misses all four won covers with probability 0.96^100 = 1.7%, under the 2.5th
        // percentile, so the interval leaves out 0; the sign-flip test by image gives 2/2^4 = 0.125.
        var summary = Summarize(new string('W', 4) + new string('R', 96), new string('R', 100));

        var verdict = summary.Verdict!;
        Assert.True(summary.Headline!.Lower > 0);
        Assert.Equal((VerdictOutcomes.NoClearDifference, null), (verdict.Outcome, verdict.Winner));
        Assert.InRange(verdict.SignFlipPValue!.Value, 0.115, 0.135);
        Assert.StartsWith("No clear difference: the interval leaves out 0 but the sign-flip test by image does not agree (the sign-flip test by image gives p = 0.1", verdict.Reading);
        Assert.Null(verdict.UnansweredAsWrong);
    }

    [Fact]
    public void OneCoverWithThreeQuestionsIsTooFewCoversToTell()
    {
        var summary = Summarize("WWW", "RRR", questionsPerCover: 3);

        var verdict = summary.Verdict!;
        Assert.Equal((100.0, 100.0, 100.0), (summary.Headline!.Points, summary.Headline.Lower, summary.Headline.Upper));
        Assert.Equal((VerdictOutcomes.TooFewCovers, null, 1), (verdict.Outcome, verdict.Winner, verdict.Covers));
        Assert.StartsWith("Too few covers to tell (1 cover; 20 needed)", verdict.Reading);
        Assert.Equal((1.0, ClusterSignFlipMethods.Exact), (verdict.SignFlipPValue, verdict.SignFlipMethod));
        Assert.DoesNotContain("is better", summary.Reading);
    }

    [Fact]
    public void WithThreeModelsTheHeadlineDecidesOnItsHolmAdjustedPValue()
    {
        // 24 covers, one question each. Fine-tuned alone is right on 6 covers: exact sign-flip p = 2 / 2^6 = 0.03125, and the
        // interval leaves out 0 (a resample misses all six with probability 0.75^24 = 0.1%). 'other' answers as base does:
        // base-other p = 1, fine-tuned-other p = 0.03125. Holm over the three pairs: sorted 0.03125, 0.03125, 1, adjusted
        // 3 x 0.03125 = 0.09375, max(0.09375, 2 x 0.03125) = 0.09375, then 1. The headline's 0.09375 is not below 0.05.
        // (Shown to 4 places, half to even: 0.0312 and 0.0938.)
        var (a, b) = (new string('W', 6) + new string('R', 18), new string('R', 24));
        var summary = Summarize(a, b, 1, ("other", a));

        var verdict = summary.Verdict!;
        Assert.Equal(("base", "fine-tuned"), (verdict.ModelA, verdict.ModelB));
        Assert.True(summary.Headline!.Lower > 0);
        Assert.Equal((0.0312, 0.0938, 3), (verdict.SignFlipPValue, verdict.HolmAdjustedPValue, verdict.HolmPairs));
        Assert.Equal(0.09375, summary.Headline.AdjustedPValue!.Value, 6);
        Assert.Equal((VerdictOutcomes.NoClearDifference, null), (verdict.Outcome, verdict.Winner));
        Assert.Equal("No clear difference: the interval leaves out 0 but the sign-flip test by image does not agree (the sign-flip test by image, "
            + "Holm-adjusted across the 3 pairs of models, gives p = 0.094 (unadjusted 0.031), not below 0.05).", verdict.Reading);
        Assert.Contains(verdict.Reading, summary.Reading);

        // The same two models alone: one pair, nothing to adjust, and the unadjusted 0.031 names fine-tuned.
        var alone = Summarize(a, b, 1).Verdict!;
        Assert.Equal((VerdictOutcomes.Better, "fine-tuned", null, null), (alone.Outcome, alone.Winner, alone.HolmAdjustedPValue, alone.HolmPairs));

        // Seven covers won: 2 / 2^7 = 0.015625, adjusted 3 x 0.015625 = 0.046875, still below 0.05: the winner stands.
        var (a7, b7) = (new string('W', 7) + new string('R', 17), new string('R', 24));
        var seven = Summarize(a7, b7, 1, ("other", a7)).Verdict!;
        Assert.Equal((VerdictOutcomes.Better, "fine-tuned", 0.0469), (seven.Outcome, seven.Winner, seven.HolmAdjustedPValue));
        Assert.Contains("Holm-adjusted across the 3 pairs of models, gives p = 0.047 (unadjusted 0.016)", seven.Reading);
    }

    private static EvaluationSummary Summarize(string a, string b, int questionsPerCover, params (string Name, string Outcomes)[] more)
    {
        if (more.Length > 0)
        {
            EvaluationModel[] models = [.. Models, .. more.Select(m => new EvaluationModel(m.Name, m.Name))];
            var cases = Enumerable.Range(0, a.Length)
                .Select(i => new TestExample(i + 1, $"cover{i / questionsPerCover}#q{i % questionsPerCover}", "Who wrote this book?", "Ann", ["Ann"], "Author", null)).ToList();
            var answers = cases.Select((e, i) => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, null,
                [Answer("base", a[i]), Answer("fine-tuned", b[i]), .. more.Select(m => Answer(m.Name, m.Outcomes[i]))])).ToList();
            return EvaluationSummarizer.Summarize(cases, answers, models, "ocr-vqa", false, "gpt-4.1");
        }

        var examples = Enumerable.Range(0, a.Length)
            .Select(i => new TestExample(i + 1, $"cover{i / questionsPerCover}#q{i % questionsPerCover}", "Who wrote this book?", "Ann", ["Ann"], "Author", null)).ToList();
        var results = examples.Select((e, i) => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, null, [Answer("base", a[i]), Answer("fine-tuned", b[i])])).ToList();
        return EvaluationSummarizer.Summarize(examples, results, Models, "ocr-vqa", false, "gpt-4.1");
    }

    private static ModelAnswer Answer(string model, char outcome) => outcome switch
    {
        'R' => new ModelAnswer(model, "Ann", null, null, true, 1, "Very Similar"),
        'W' => new ModelAnswer(model, "Bob", null, null, false, 0, "Incorrect"),
        _ => new ModelAnswer(model, null, "HTTP 404", null, null, null, null),
    };

    private static class ClusterSignFlipMethods
    {
        public const string Exact = VqaAspire.Api.Evaluation.Inference.ClusterSignFlipTest.ExactMethod;
        public const string MonteCarlo = VqaAspire.Api.Evaluation.Inference.ClusterSignFlipTest.MonteCarloMethod;
    }
}
