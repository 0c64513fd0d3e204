using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Provenance;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

/// <summary>
/// The early stop's plan on hand-made evaluations: looks every 20 covers and at the last, a seeded order that replays,
/// where it stops and why, and the verdict read from the group-sequential test.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EarlyStopTests
{
    private static readonly EvaluationModel[] Models = [new("base", "a"), new("fine-tuned", "b")];

    [Fact]
    public void LooksComeEveryTwentyCoversAndAtTheLastAndTheOrderReplays()
    {
        Assert.Equal([20, 40, 60, 80, 100], EarlyStop.LookSizesFor(100));
        Assert.Equal([20, 40, 45], EarlyStop.LookSizesFor(45));
        Assert.Equal([15], EarlyStop.LookSizesFor(15));

        var examples = Examples(60, _ => ('R', 'R'));
        var order = EarlyStop.CoverOrderOf(examples, EarlyStop.SeedOf("eval_1"));
        Assert.Equal(examples.Select(e => e.ClusterId).Order(StringComparer.Ordinal), order.Order(StringComparer.Ordinal));
        Assert.NotEqual(examples.Select(e => e.ClusterId).Order(StringComparer.Ordinal), order);
        Assert.Equal(order, EarlyStop.CoverOrderOf(examples, EarlyStop.SeedOf("eval_1")));
        Assert.Equal(EarlyStop.SeedOf("eval_1"), EarlyStop.SeedOf("eval_1"));
        Assert.Null(EarlyStop.Plan("eval_1", examples, [Models[0]]));
    }

    [Fact]
    public void AClearDifferenceStopsAtTheSecondLookAndTheVerdictSaysSo()
    {
        // 100 covers, one question each: fine-tuned always right, base right on every fourth cover. Look 1 (20 covers) can
        // never cross: at most 20 covers for fine-tuned give an exact sign-flip p of 2 / 2^20 = 1.9e-6, above the first
        // boundary's nominal 2 (1 - Φ(4.877)) = 1.08e-6. Look 2 (40 covers, about 30 won) gives 2 / 2^30 against 7.9e-4: it stops.
        var examples = Examples(100, i => (i % 4 == 0 ? 'R' : 'W', 'R'));
        var plan = EarlyStop.Plan("eval_clear", examples, Models)!;

        var stoppedAt = -1;
        for (var look = 0; look < plan.LookSizes.Count && stoppedAt < 0; look++)
        {
            if (plan.MakeLook(look, examples, (model, example) => model == 0 ? (Outcome(example).A == 'R' ? 1 : 0) : 1))
            {
                stoppedAt = look;
            }
        }

        Assert.Equal(1, stoppedAt);
        Assert.Equal((40, 2), (plan.CoversAsked, plan.Looks.Count));
        Assert.False(plan.Looks[0].Look.Crossed);
        Assert.Equal((4.8769, 3.3569), (plan.Looks[0].Look.Boundary, plan.Looks[1].Look.Boundary), new ToleranceComparer(0.001));
        var reading = plan.Reading(requestsSaved: 240, costSaved: 1.25m, questionsPerCover: 1);
        Assert.Equal((true, 100, 40, 60, 240, 1.25m), (reading.StoppedEarly, reading.CoversTotal, reading.CoversAsked, reading.CoversNotAsked, reading.RequestsSaved, reading.CostSavedUsd));
        Assert.StartsWith("Stopped at look 2 of 5 (40 of 100 covers): t = ", reading.Reason);
        Assert.Contains(GroupSequentialMethod, reading.Method);
        Assert.True(reading.RepeatedInterval!.Lower > 0, $"{reading.RepeatedInterval}");

        // The covers asked are what is scored; the verdict is the sequential test's.
        var asked = plan.Asked(examples);
        Assert.Equal(40, asked.Count);
        var summary = Summarize(asked, plan);
        Assert.Equal((VerdictOutcomes.Better, "fine-tuned"), (summary.Verdict!.Outcome, summary.Verdict.Winner));
        Assert.StartsWith("fine-tuned is better: the group-sequential test crossed its boundary at 40 of 100 covers (t = ", summary.Verdict.Reading);
        Assert.EndsWith("so the evaluation stopped there.", summary.Verdict.Reading);
    }

    [Fact]
    public void NoDifferenceAsksEveryCoverAndNamesNoWinner()
    {
        var examples = Examples(45, i => (i % 2 == 0 ? 'R' : 'W', i % 2 == 0 ? 'R' : 'W'));
        var plan = EarlyStop.Plan("eval_same", examples, Models)!;
        for (var look = 0; look < plan.LookSizes.Count; look++)
        {
            Assert.False(plan.MakeLook(look, examples, (_, example) => Outcome(example).A == 'R' ? 1 : 0));
        }

        var reading = plan.Reading(0, 0m, 1);
        Assert.Equal((false, 45, 0), (reading.StoppedEarly, reading.CoversAsked, reading.CoversNotAsked));
        Assert.Equal([20, 40, 45], reading.Looks.Select(l => l.Covers));
        Assert.Equal("No look crossed its boundary: every cover was asked (3 looks; overall two-sided level 0.05).", reading.Reason);
        var verdict = Summarize(plan.Asked(examples), plan).Verdict!;
        Assert.Equal((VerdictOutcomes.NoClearDifference, "No clear difference: the group-sequential test crossed no boundary in 3 looks over 45 covers."),
            (verdict.Outcome, verdict.Reading));
    }

    private const string GroupSequentialMethod = "Lan-DeMets alpha spending with O'Brien-Fleming-type boundaries";

    private static EvaluationSummary Summarize(IReadOnlyList<TestExample> asked, EarlyStop plan)
    {
        var results = asked.Select(e => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, null,
            [Answer("base", Outcome(e).A), Answer("fine-tuned", Outcome(e).B)])).ToList();
        return EvaluationSummarizer.Summarize(asked, results, Models, "ocr-vqa", EvaluationProvenance.Uniform(Models, false, "judge"), MetricVariants.Official, plan);
    }

    // Each example's outcome rides in its question: "R W" is base right, fine-tuned wrong.
    private static List<TestExample> Examples(int covers, Func<int, (char A, char B)> outcome) =>
        [.. Enumerable.Range(0, covers).Select(i => new TestExample(i + 1, $"cover{i:000}#q0", $"{outcome(i).A} {outcome(i).B}", "Ann", ["Ann"], "Title", $"cover{i:000}"))];

    private static (char A, char B) Outcome(TestExample example) => (example.Question[0], example.Question[2]);

    private static ModelAnswer Answer(string model, char outcome) =>
        outcome == 'R' ? new ModelAnswer(model, "Ann", null, null, true, 1, "Very Similar") : new ModelAnswer(model, "Bob", null, null, false, 0, "Incorrect");

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance;

        public int GetHashCode((double, double) obj) => 0;
    }
}
