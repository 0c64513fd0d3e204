using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

/// <summary>
/// The summary's statistical conventions on hand-worked cases: the yes/no baseline's interval, and the Holm adjustment
/// of the pairs' overall rows when three models are compared.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class StatisticalConventionsTests
{
    [Fact]
    public void TheYesNoBaselineReadingHasItsPairedInterval()
    {
        // Truths No, No, Yes on three covers; the model is right on all three, the baseline ("No") on the first two. Per cover
        // the difference is 0, 0, +100: +33.33 points. Resampling three covers, none is the third with 8/27 > 2.5%, so the
        // lower bound is 0; all three are the third with 1/27 > 2.5%, so the upper bound is +100.
        TestExample[] examples = [YesNo(1, "c1", "No"), YesNo(2, "c2", "No"), YesNo(3, "c3", "Yes")];
        var summary = Summarize(examples, [["No", "No", "Yes"]], [new("model", "m")]);

        var yesNo = summary.Models[0].YesNo!;
        Assert.Equal((33.33, 0.0, 100.0), (yesNo.VersusBaselinePoints, yesNo.VersusBaselineLower, yesNo.VersusBaselineUpper));
        Assert.Contains("Model minus baseline: +33.3 points (95% CI 0.0 to +100.0), the interval includes 0.", yesNo.Reading);
    }

    [Fact]
    public void WithThreeModelsEachPairsOverallRowIsHolmAdjustedAndSaysSo()
    {
        // Eight covers, one yes/no question each (truth Yes). a is always wrong, b always right, c right on the first four.
        // Pairs and their exact sign-flip p-values on eight one-question covers: a-b 8 of 8 for b: 2/256 = 0.0078125;
        // a-c 4 for c: 2/16 = 0.125; b-c 4 for b: 0.125. Holm (m = 3): 3 x 0.0078125 = 0.0234375, then 2 x 0.125 = 0.25, 0.25.
        var examples = Enumerable.Range(1, 8).Select(i => YesNo(i, $"c{i}", "Yes")).ToArray();
        var a = Enumerable.Repeat("No", 8).ToArray();
        var b = Enumerable.Repeat("Yes", 8).ToArray();
        var c = Enumerable.Range(0, 8).Select(i => i < 4 ? "Yes" : "No").ToArray();

        var summary = Summarize(examples, [a, b, c], [new("a", "m1"), new("b", "m2"), new("c", "m3")]);

        var overall = summary.Differences!.Where(d => d.Kind == "all").ToDictionary(d => d.ModelA + "-" + d.ModelB);
        Assert.Equal(0.0078125, overall["a-b"].PValue!.Value, 12);
        Assert.Equal(0.0234375, overall["a-b"].AdjustedPValue!.Value, 12);
        Assert.Equal((0.125, 0.25), (overall["a-c"].PValue!.Value, overall["a-c"].AdjustedPValue!.Value), new PairTolerance());
        Assert.Equal((0.125, 0.25), (overall["b-c"].PValue!.Value, overall["b-c"].AdjustedPValue!.Value), new PairTolerance());
        Assert.EndsWith("; Holm-adjusted across 3 pairs p = 0.023", overall["a-b"].Reading);
        Assert.All(summary.Differences!.Where(d => d.Kind != "all"), d => Assert.Null(d.AdjustedPValue));
    }

    [Fact]
    public void WithTwoModelsThereIsOnePairAndNothingToAdjust()
    {
        var examples = Enumerable.Range(1, 4).Select(i => YesNo(i, $"c{i}", "Yes")).ToArray();

        var summary = Summarize(examples, [["No", "No", "No", "No"], ["Yes", "Yes", "Yes", "Yes"]], [new("base", "m1"), new("fine-tuned", "m2")]);

        Assert.Equal(0.125, summary.Headline!.PValue);
        Assert.Null(summary.Headline.AdjustedPValue);
        Assert.DoesNotContain("Holm", summary.Headline.Reading);
    }

    [Fact]
    public void EveryEvaluationReportsItsMinimumDetectableDifference()
    {
        // Eight one-question covers; fine-tuned fixes four: d = +1 x 4, 0 x 4, so the discordance is 0.5 and the design effect 1.
        // Δ √8 = 1.95996 √0.5 + 0.84162 √(0.5 - Δ²) at Δ = 0.60090: 60.1 points.
        var examples = Enumerable.Range(1, 8).Select(i => YesNo(i, $"c{i}", "Yes")).ToArray();
        var fixedFour = Enumerable.Range(0, 8).Select(i => i < 4 ? "Yes" : "No").ToArray();

        var power = Summarize(examples, [Enumerable.Repeat("No", 8).ToArray(), fixedFour], [new("base", "m1"), new("fine-tuned", "m2")]).Power!;

        Assert.Equal(("base", "fine-tuned", 8, 8, 1.0), (power.ModelA, power.ModelB, power.Examples, power.Covers, power.QuestionsPerCover));
        Assert.Equal((0.5, 1.0, 60.1), (power.Discordance, power.DesignEffect, power.MinimumDetectablePoints));
        Assert.StartsWith("With 8 paired examples on 8 covers (discordance 0.500, design effect 1.00), a true difference of 60.1 points or more", power.Reading);
    }

    private sealed class PairTolerance : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-12 && Math.Abs(x.Item2 - y.Item2) < 1e-12;

        public int GetHashCode((double, double) obj) => 0;
    }

    private static TestExample YesNo(int line, string cover, string truth) =>
        new(line, $"{cover}#q0", "Is this a novel?", truth, [truth], "YesNo", null, cover);

    private static EvaluationSummary Summarize(TestExample[] examples, string[][] answers, EvaluationModel[] models) =>
        EvaluationSummarizer.Summarize(examples,
            [.. examples.Select((e, i) => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, null,
                [.. models.Select((m, k) => new ModelAnswer(m.Name, answers[k][i], null,
                    YesNoScoring.IsCorrectByNotebookRule(answers[k][i], e.Truth), YesNoScoring.IsCorrect(answers[k][i], e.Truth), null, null))]))],
            models, "ocr-vqa", false, "gpt-4o");
}
