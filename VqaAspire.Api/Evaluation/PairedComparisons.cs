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
    /// B minus A in the dataset's metric for every pair, overall then per kind, on the examples either model answered: one
    /// a model left unanswered scores 0 for it, as in its accuracy, so a model that fails often cannot look better by
    /// dropping examples. An example neither answered says nothing about the two and is left out.
    /// </summary>
    public static IReadOnlyList<PairedComparison> Differences(IReadOnlyList<IReadOnlyList<ScoredAnswer>> byModel, IReadOnlyList<EvaluationModel> models, string metric)
    {
        var differences = new List<PairedComparison>();
        foreach (var (a, b) in Pairs(models.Count))
        {
            var kinds = byModel[a].Select(s => s.Example.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var kind in kinds.Prepend("all"))
            {
                var both = Enumerable.Range(0, byModel[a].Count)
                    .Where(i => (kind == "all" || byModel[a][i].Example.Kind == kind) && (byModel[a][i].IsAnswered || byModel[b][i].IsAnswered))
                    .ToList();
                var difference = ClusterBootstrap.Difference([.. both.Select(i => byModel[a][i].MetricScore)], [.. both.Select(i => byModel[b][i].MetricScore)],
                    [.. both.Select(i => byModel[a][i].Example.ClusterId)]);
                // The overall row also carries its clustered sign-flip p-value, which PairwiseHolm adjusts across pairs.
                var p = kind == "all" ? ClusterSignFlipTest.PValue([.. both.Select(i => byModel[a][i].MetricScore)], [.. both.Select(i => byModel[b][i].MetricScore)],
                    [.. both.Select(i => byModel[a][i].Example.ClusterId)]) : null;
                differences.Add(new PairedComparison(models[a].Name, models[b].Name, metric, kind, difference.Pairs, difference.Clusters,
                    Round(difference.Points), Round(difference.Lower), Round(difference.Upper), difference.Describe(), p));
            }
        }

        return differences;
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
