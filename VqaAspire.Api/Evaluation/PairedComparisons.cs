using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Every pair of models compared on the same examples: the paired difference in the dataset's metric with its
/// cluster-bootstrap interval (overall and per question kind), and McNemar tests on yes/no and on the judge's strict and
/// lenient grades, clustered by image like the intervals, Holm-adjusted across all the tests of the evaluation.
/// </summary>
internal static class PairedComparisons
{
    public const string YesNoStrict = "yes/no strict";
    public const string JudgeStrict = "judge strict (Very Similar)";
    public const string JudgeLenient = "judge at least Mostly Similar";

    /// <summary>The McNemar tests of every pair of models (first of the pair as A), with Holm-adjusted p-values.</summary>
    public static IReadOnlyList<PairedTest> McNemarTests(IReadOnlyList<IReadOnlyList<ScoredAnswer>> byModel, IReadOnlyList<EvaluationModel> models)
    {
        var pairs = new List<(int A, int B)>();
        var tests = new List<McNemarResult>();
        foreach (var (a, b) in Pairs(models.Count))
        {
            // Yes/no: both answered (unanswered would be a wrong both ways, not a grade). Judge: both graded.
            tests.Add(McNemar(byModel, a, b, YesNoStrict, s => s.Example.IsYesNo && s.IsAnswered, s => s.Answer.StrictRight == true));
            tests.Add(McNemar(byModel, a, b, JudgeStrict, s => s.Answer.JudgeRating is not null, s => JudgeRatings.IsVerySimilar(s.Answer.JudgeRating)));
            tests.Add(McNemar(byModel, a, b, JudgeLenient, s => s.Answer.JudgeRating is not null, s => JudgeRatings.IsAtLeastMostlySimilar(s.Answer.JudgeRating)));
            pairs.AddRange([(a, b), (a, b), (a, b)]);
        }

        var adjusted = HolmCorrection.AdjustTests(tests);
        return [.. adjusted.Select((t, i) => new PairedTest(models[pairs[i].A].Name, models[pairs[i].B].Name, t.Measure, t.Pairs, t.OnlyFirst, t.OnlySecond,
            t.PValue, t.AdjustedPValue, t.Describe(), t.Clusters))];
    }

    /// <summary>
    /// B minus A in the dataset's metric for every pair, overall then per kind, on the examples BOTH answered, with each
    /// model's score on those same examples and each model's coverage (answered of the kind's examples). An unanswered
    /// example is a failure of a deployment (404, 500, a timeout), not an answer: it never moves the difference, and the
    /// verdict names no winner when a model left too many.
    /// </summary>
    public static IReadOnlyList<PairedComparison> Differences(IReadOnlyList<IReadOnlyList<ScoredAnswer>> byModel, IReadOnlyList<EvaluationModel> models, string metric)
    {
        var differences = new List<PairedComparison>();
        foreach (var (a, b) in Pairs(models.Count))
        {
            var kinds = byModel[a].Select(s => s.Example.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var kind in kinds.Prepend("all"))
            {
                var ofKind = Enumerable.Range(0, byModel[a].Count).Where(i => kind == "all" || byModel[a][i].Example.Kind == kind).ToList();
                var both = ofKind.Where(i => byModel[a][i].IsAnswered && byModel[b][i].IsAnswered).ToList();
                differences.Add(Compare(byModel, models, metric, kind, a, b, both) with
                {
                    AnsweredA = ofKind.Count(i => byModel[a][i].IsAnswered),
                    AnsweredB = ofKind.Count(i => byModel[b][i].IsAnswered),
                    Total = ofKind.Count,
                    // The overall row also carries its clustered sign-flip p-value, which PairwiseHolm adjusts across pairs.
                    PValue = kind == "all" ? ClusterSignFlipTest.PValue([.. both.Select(i => byModel[a][i].MetricScore)], [.. both.Select(i => byModel[b][i].MetricScore)],
                        [.. both.Select(i => byModel[a][i].Example.ClusterId)]) : null,
                });
            }
        }

        return differences;
    }

    /// <summary>B minus A on the given examples, with both models' scores on them (an unanswered example scores 0).</summary>
    internal static PairedComparison Compare(IReadOnlyList<IReadOnlyList<ScoredAnswer>> byModel, IReadOnlyList<EvaluationModel> models, string metric, string kind,
        int a, int b, IReadOnlyList<int> examples)
    {
        var difference = ClusterBootstrap.Difference([.. examples.Select(i => byModel[a][i].MetricScore)], [.. examples.Select(i => byModel[b][i].MetricScore)],
            [.. examples.Select(i => byModel[a][i].Example.ClusterId)]);
        return new PairedComparison(models[a].Name, models[b].Name, metric, kind, difference.Pairs, difference.Clusters,
            Round(difference.Points), Round(difference.Lower), Round(difference.Upper), difference.Describe(),
            ScoreA: examples.Count == 0 ? null : Round(100 * examples.Average(i => byModel[a][i].MetricScore)),
            ScoreB: examples.Count == 0 ? null : Round(100 * examples.Average(i => byModel[b][i].MetricScore)),
            AnsweredA: examples.Count(i => byModel[a][i].IsAnswered), AnsweredB: examples.Count(i => byModel[b][i].IsAnswered), Total: examples.Count);
    }

    /// <summary>The headline: fine-tuned minus base over every kind, or the second model minus the first; null with one model.</summary>
    public static PairedComparison? Headline(IReadOnlyList<PairedComparison> differences, IReadOnlyList<EvaluationModel> models)
    {
        var names = models.Select(m => m.Name).ToList();
        var (first, second) = names.Contains("base") && names.Contains("fine-tuned") ? ("base", "fine-tuned") : (names.ElementAtOrDefault(0), names.ElementAtOrDefault(1));
        return differences.FirstOrDefault(d => d.Kind == "all" && d.ModelA == first && d.ModelB == second)
            ?? differences.FirstOrDefault(d => d.Kind == "all");
    }

    private static McNemarResult McNemar(IReadOnlyList<IReadOnlyList<ScoredAnswer>> byModel, int a, int b, string measure,
        Func<ScoredAnswer, bool> graded, Func<ScoredAnswer, bool> right)
    {
        var both = Enumerable.Range(0, byModel[a].Count).Where(i => graded(byModel[a][i]) && graded(byModel[b][i])).ToList();
        return McNemarTest.Clustered(measure, [.. both.Select(i => right(byModel[a][i]))], [.. both.Select(i => right(byModel[b][i]))],
            [.. both.Select(i => byModel[a][i].Example.ClusterId)]);
    }

    private static IEnumerable<(int A, int B)> Pairs(int count) =>
        from a in Enumerable.Range(0, count) from b in Enumerable.Range(a + 1, count - a - 1) select (a, b);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;
}
