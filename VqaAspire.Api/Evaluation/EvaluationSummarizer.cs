using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Api.Evaluation.Provenance;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Api.Evaluation.Verdicts;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Scores every model from the per-example results by the same rules: the dataset's metric first, yes/no by the
/// answer's yes/no word (the notebook's rule beside it), the judge's grades, exact match and ANLS. Every example stays
/// in its model's denominators: unanswered is wrong, and so is a failed judge call for the judge measures. Intervals
/// resample images, whose questions are not independent. Tokens and cost are left for the caller to fill in.
/// </summary>
public static class EvaluationSummarizer
{
    /// <param name="examples">The test examples, aligned with <paramref name="results"/>.</param>
    /// <param name="results">Each example's answers, one per model in <paramref name="models"/>' order.</param>
    /// <param name="preset">The dataset's preset, which chooses its metric.</param>
    /// <param name="emulated">Every model and the judge on the emulator (true) or all real (false).</param>
    /// <param name="judgeModel">The judge model asked on the run's provider.</param>
    public static EvaluationSummary Summarize(IReadOnlyList<TestExample> examples, IReadOnlyList<ExampleResult> results, IReadOnlyList<EvaluationModel> models,
        string? preset, bool emulated, string judgeModel) =>
        Summarize(examples, results, models, preset, EvaluationProvenance.Uniform(models, emulated, judgeModel));

    /// <param name="examples">The test examples, aligned with <paramref name="results"/>.</param>
    /// <param name="results">Each example's answers, one per model in <paramref name="models"/>' order.</param>
    /// <param name="preset">The dataset's preset, which chooses its metric.</param>
    /// <param name="provenance">Who actually answered for each model and who actually judged: where the emulator did, the readings say they exercise the pipeline.</param>
    /// <param name="metricVariant">"official" or the opt-in "lenient", named with the metric when it changes it.</param>
    /// <param name="earlyStop">With <c>earlyStop</c>: its group-sequential test decides the headline verdict in place of the fixed-sample rule.</param>
    public static EvaluationSummary Summarize(IReadOnlyList<TestExample> examples, IReadOnlyList<ExampleResult> results, IReadOnlyList<EvaluationModel> models,
        string? preset, EvaluationProvenance provenance, string metricVariant = MetricVariants.Official, EarlyStop? earlyStop = null)
    {
        if (examples.Count != results.Count)
        {
            throw new ArgumentException("Every example needs its result.", nameof(results));
        }

        var metric = DatasetMetrics.ForPreset(preset);
        var metricName = DatasetMetricNames.Of(metric, metricVariant);
        var byModel = Enumerable.Range(0, models.Count)
            .Select(m => (IReadOnlyList<ScoredAnswer>)[.. examples.Select((example, i) => Scored(metric, example, results[i].Answers[m], metricVariant))])
            .ToList();

        var scores = models.Select((model, m) => Model(model, byModel[m], metricName) with { Emulated = provenance.IsEmulated(model.Name) }).ToList();
        var tests = PairedComparisons.McNemarTests(byModel, models);
        var differences = PairwiseHolm.Adjust(PairedComparisons.Differences(byModel, models, metricName));
        var headline = PairedComparisons.Headline(differences, models);
        var verdict = HeadlineVerdict.Of(byModel, models, headline, provenance, differences.Count(d => d.Kind == "all" && d.AdjustedPValue is not null), earlyStop);
        return new EvaluationSummary(scores, tests, metricName, preset, headline, differences, provenance.AnyModelEmulated, EvaluationProvenance.Describe(provenance.Judge),
            EvaluationReadings.Summary(headline, verdict, metricName, provenance, models), JudgedBy: provenance.Judge, Verdict: verdict)
        {
            MetricVariant = metricVariant,
            Power = EvaluationPower.Of(byModel, models, headline),
            Changes = FineTuneChangeAnalysis.Of(byModel, models, headline),
        };
    }

    private static ScoredAnswer Scored(DatasetMetric metric, TestExample example, ModelAnswer answer, string variant) =>
        new(example, answer, answer.Answer is { } text ? DatasetMetrics.Score(metric, text, example.Truth, example.AcceptedAnswers, example.Question, variant) : 0);

    private static ModelScores Model(EvaluationModel model, IReadOnlyList<ScoredAnswer> answers, string metricName)
    {
        var kinds = answers.GroupBy(a => a.Example.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Kind(g.Key, [.. g], metricName)).ToList();
        var yesNo = YesNoScoring.Report(answers.Where(a => a.Example.IsYesNo).Select(a => (a.Answer.Answer ?? "", a.Example.Truth)));
        return new ModelScores(model.Name, model.Model, answers.Count(a => a.IsAnswered), answers.Count(a => a.IsFailed),
            Kind("all", answers, metricName), kinds,
            JudgeRatings.All.ToDictionary(r => r, r => answers.Count(a => a.Answer.JudgeRating == r)),
            0, 0, null, answers.Count(a => a.IsJudgeFailure), yesNo.Count == 0 ? null : YesNoSummaryOf(yesNo, YesNoBaseline.VersusMajority(answers)), answers.Count(a => a.IsFiltered));
    }

    private static KindScores Kind(string kind, IReadOnlyList<ScoredAnswer> answers, string metricName)
    {
        var yesNo = answers.Where(a => a.Example.IsYesNo).ToList();
        var open = answers.Where(a => !a.Example.IsYesNo).ToList();
        return new KindScores(kind, answers.Count,
            Rate(yesNo, a => a.Answer.LenientRight == true),
            Rate(yesNo, a => a.Answer.StrictRight == true),
            Rate(open, a => JudgeRatings.IsVerySimilar(a.Answer.JudgeRating)),
            Rate(open, a => JudgeRatings.IsAtLeastMostlySimilar(a.Answer.JudgeRating)),
            Rate(open, a => a.Answer.StrictRight == true),
            open.Count == 0 ? null : Math.Round(open.Average(a => a.Answer.Anls ?? 0), 4),
            Metric(metricName, answers),
            answers.Count(a => a.IsFailed),
            answers.Count(a => a.IsJudgeFailure),
            answers.Count(a => a.IsFiltered));
    }

    /// <summary>The share right, every example counted (no answer is wrong), with the clustered Wilson interval.</summary>
    private static Accuracy? Rate(IReadOnlyList<ScoredAnswer> answers, Func<ScoredAnswer, bool> right)
    {
        if (answers.Count == 0)
        {
            return null;
        }

        var p = ClusteredAccuracy.Estimate([.. answers.Select(right)], [.. answers.Select(a => a.Example.ClusterId)]);
        return new Accuracy(p.Successes, p.Total, Round(p.Value), Round(p.Lower), Round(p.Upper));
    }

    /// <summary>
    /// The metric's mean. Right-or-wrong metrics take the clustered Wilson interval (open at 0 or n right); graded ones
    /// (VQA accuracy, ANLS) the cluster-bootstrap percentiles.
    /// </summary>
    private static MetricScore? Metric(string name, IReadOnlyList<ScoredAnswer> answers)
    {
        if (answers.Count == 0)
        {
            return null;
        }

        List<string> clusters = [.. answers.Select(a => a.Example.ClusterId)];
        var images = clusters.Distinct(StringComparer.Ordinal).Count();
        if (answers.All(a => a.MetricScore is 0 or 1))
        {
            var p = ClusteredAccuracy.Estimate([.. answers.Select(a => a.MetricScore == 1)], clusters);
            return new MetricScore(name, answers.Count, images, Round(p.Value), Round(p.Lower), Round(p.Upper));
        }

        var mean = ClusterBootstrap.Mean([.. answers.Select(a => a.MetricScore)], clusters);
        return new MetricScore(name, answers.Count, images, Round(mean.Value ?? 0), Round(mean.Lower ?? 0), Round(mean.Upper ?? 0));
    }

    private static YesNoSummary YesNoSummaryOf(YesNoReport report, PairedDifference versusBaseline) =>
        new(report.Count, Round(report.TruthYesShare), MajorityAnswer(report), Round(report.MajorityClassAccuracy), Round(report.Accuracy),
            Round(report.NotebookAccuracy), Round(report.Precision), Round(report.Recall), Round(report.F1), report.Unknown,
            EvaluationReadings.YesNo(report, versusBaseline),
            Round2(versusBaseline.Points), Round2(versusBaseline.Lower), Round2(versusBaseline.Upper));

    /// <summary>The truth's commoner word; Yes on a tie.</summary>
    internal static string MajorityAnswer(YesNoReport report) => report.TruthYes >= report.Count - report.TruthYes ? "Yes" : "No";

    private static double Round(double value) => Math.Round(value, 4);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static double? Round2(double? points) => points is { } v ? Math.Round(v, 2) : null;
}
