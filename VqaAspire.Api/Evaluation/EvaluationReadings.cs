using System.Globalization;
using VqaAspire.Api.Evaluation.Provenance;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>The evaluation's findings in words. Where the emulator answered for a compared model they never name a better one: they exercise the pipeline.</summary>
public static class EvaluationReadings
{
    public const string EmulatorJudge = "the emulator's string similarity";

    public const string EmulatorCaveat =
        "Emulated: the OpenAI emulator answered and its string similarity judged, so these numbers exercise the pipeline, not a model.";

    /// <summary>
    /// The headline: what the emulator answered or judged, the paired difference on the examples both answered with its
    /// interval and each model's coverage, then the verdict (a winner, or why none is named).
    /// </summary>
    public static string Summary(PairedComparison? headline, EvaluationVerdict? verdict, string metric, EvaluationProvenance provenance, IReadOnlyList<EvaluationModel> models)
    {
        var comparison = headline is null
            ? models.Count < 2 ? "One model only: nothing to compare." : $"{metric}: {Inference.PairedDifference.NoPairedExamplesText}."
            : $"{headline.ModelB} minus {headline.ModelA} on {metric}{OnTheSameExamples(headline)}: {headline.Reading}." + (verdict is null ? "" : $" {verdict.Reading}");
        return Caveat(provenance, models) is { } caveat ? $"{caveat} {comparison}" : comparison;
    }

    /// <summary>
    /// Which examples the difference and the scores beside it are on, and each model's coverage:
    /// ", on the 60 examples both answered (base 50.0, fine-tuned 60.0); answered: base 100/100, fine-tuned 60/100".
    /// </summary>
    public static string OnTheSameExamples(PairedComparison headline) => headline.Pairs == 0
        ? $"; answered: {Coverage(headline)}"
        : $", on the {headline.Pairs} examples both answered ({headline.ModelA} {Points(headline.ScoreA ?? 0)}, {headline.ModelB} {Points(headline.ScoreB ?? 0)}); answered: {Coverage(headline)}";

    /// <summary>"base 100/100, fine-tuned 60/100".</summary>
    public static string Coverage(PairedComparison headline) =>
        $"{headline.ModelA} {headline.AnsweredA}/{headline.Total}, {headline.ModelB} {headline.AnsweredB}/{headline.Total}";

    /// <summary>What the emulator stood in for, by who actually answered and who actually judged; null when nothing.</summary>
    public static string? Caveat(EvaluationProvenance provenance, IReadOnlyList<EvaluationModel> models)
    {
        var emulated = models.Where(m => provenance.IsEmulated(m.Name)).Select(m => $"'{m.Name}'").ToList();
        var allModels = emulated.Count == models.Count && models.Count > 0;
        return (allModels, emulated.Count > 0, provenance.Judge.Emulated) switch
        {
            (true, _, true) => EmulatorCaveat,
            (true, _, false) => "Emulated: the OpenAI emulator answered, so these numbers exercise the pipeline, not a model.",
            (false, true, _) => $"Emulated: the OpenAI emulator answered for {string.Join(" and ", emulated)}, so a comparison with it exercises the pipeline, not a model"
                + (provenance.Judge.Emulated ? "; its string similarity judged." : "."),
            (false, false, true) => "The models answered, but the emulator's string similarity graded the open-ended answers: the judge's grades exercise the pipeline, not a judge.",
            _ => null,
        };
    }

    /// <summary>
    /// Yes/no accuracy against the majority baseline (always answering the truth's commoner word), with the paired
    /// difference's interval when given.
    /// </summary>
    public static string YesNo(YesNoReport report, Inference.PairedDifference? versusBaseline = null)
    {
        if (report.Count == 0)
        {
            return "No yes/no questions.";
        }

        var word = EvaluationSummarizer.MajorityAnswer(report);
        var majority = Math.Max(report.TruthYes, report.Count - report.TruthYes);
        var always = report.PredictedYes == report.Count ? " It answered \"Yes\" every time."
            : report.PredictedNo == report.Count ? " It answered \"No\" every time." : "";
        var baseline = $"always answering \"{word}\" scores {Percent(report.MajorityClassAccuracy)}";
        var points = Math.Abs(report.Correct - majority) * 100.0 / report.Count;
        var interval = versusBaseline is { HasPairs: true } d
            ? $" Model minus baseline: {d.Describe()}{(d.ExcludesZero ? "." : ", the interval includes 0.")}"
            : "";
        return report.Correct == majority ? $"Equals the majority baseline: {baseline}.{always}{interval}"
            : report.Correct < majority ? $"Below the majority baseline by {Points(points)} points: {baseline}.{always}{interval}"
            : $"Above the majority baseline by {Points(points)} points: {baseline}.{always}{interval}";
    }

    private static string Percent(double? value) => (100 * (value ?? double.NaN)).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Points(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
