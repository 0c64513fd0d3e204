using System.Globalization;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>The evaluation's findings in words. On the emulator they never name a better model: they exercise the pipeline.</summary>
public static class EvaluationReadings
{
    public const string EmulatorJudge = "the emulator's string similarity";

    public const string EmulatorCaveat =
        "Emulated: the OpenAI emulator answered and its string similarity judged, so these numbers exercise the pipeline, not a model.";

    /// <summary>What really graded the open-ended answers.</summary>
    public static string Judge(bool emulated, string judgeModel) => emulated ? EmulatorJudge : judgeModel;

    /// <summary>The headline: the paired difference with its interval, "no paired examples", and the emulator's caveat.</summary>
    public static string Summary(PairedComparison? headline, string metric, bool emulated, int models)
    {
        var comparison = headline is null
            ? models < 2 ? "One model only: nothing to compare." : $"{metric}: {Inference.PairedDifference.NoPairedExamplesText}."
            : $"{headline.ModelB} minus {headline.ModelA} on {metric}: {headline.Reading}{Verdict(headline, emulated)}";
        return emulated ? $"{EmulatorCaveat} {comparison}" : comparison;
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

    private static string Verdict(PairedComparison headline, bool emulated)
    {
        if (headline.Pairs == 0 || emulated)
        {
            return ".";
        }

        var excludesZero = headline.Lower > 0 || headline.Upper < 0;
        return !excludesZero ? ": the interval includes 0, no clear difference."
            // With several models the pair's row must also survive the Holm adjustment across pairs.
            : headline.AdjustedPValue >= Inference.McNemarResult.Alpha ? ": not significant once Holm-adjusted across the pairs of models, no clear difference."
            : headline.Points > 0 ? $": {headline.ModelB} is better (the interval leaves out 0)."
            : $": {headline.ModelA} is better (the interval leaves out 0).";
    }

    private static string Percent(double? value) => (100 * (value ?? double.NaN)).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Points(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
