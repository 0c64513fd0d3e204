using VqaAspire.Contracts;

namespace VqaAspire.Web.Components.Controls;

/// <summary>
/// The verdict of an evaluation as the api scored it: each model on the dataset's own metric with its interval
/// (images resampled), the base model as the baseline, and each other model's paired difference from it. The web
/// computes no statistics of its own, so every page shows the same numbers as the evaluation and its export.
/// </summary>
/// <param name="Metric">The dataset's metric in words ("Exact match", "VQA accuracy").</param>
public sealed record Verdict(string Metric, ModelRate Baseline, IReadOnlyList<ModelRate> Models, IReadOnlyList<VerdictDifference> Differences, bool Emulated)
{
    /// <summary>The verdict of a scored evaluation, or null when it has no scores on a dataset metric yet.</summary>
    public static Verdict? Of(EvaluationView? evaluation)
    {
        if (evaluation?.Summary is not { Metric: { } metric } summary)
        {
            return null;
        }

        var models = summary.Models
            .Where(m => m.Overall.Metric is not null)
            .Select(m => new ModelRate(m.Name, m.Model, m.Overall.Metric!.Examples, m.Overall.Metric.Images, m.Overall.Metric.Value, m.Overall.Metric.Lower, m.Overall.Metric.Upper))
            .ToList();
        if (models.Count == 0)
        {
            return null;
        }

        var emulated = evaluation.Models.Any(m => EvaluationEmulation.ModelEmulated(evaluation, m.Name));
        var baseline = models.FirstOrDefault(m => m.Name == "base") ?? models[0];
        var differences = (summary.Differences ?? [])
            .Where(d => d.Kind == "all" && d.ModelA == baseline.Name)
            .Select(d => new VerdictDifference(d.ModelB, d.ModelA, d.Points / 100, d.Lower / 100, d.Upper / 100, d.Pairs,
                summary.Verdict is { } v && v.ModelA == d.ModelA && v.ModelB == d.ModelB ? v.Reading : Reading(d, EvaluationEmulation.PairEmulated(evaluation, d.ModelA, d.ModelB))))
            .ToList();
        return new Verdict(metric, baseline, models, differences, emulated);
    }

    /// <summary>
    /// What the paired interval alone says, for pairs the api drew no verdict on (a summary from before verdicts, a third
    /// model): it describes the interval and never names a better model; on the emulator it says only that.
    /// </summary>
    public static string Reading(PairedComparison difference, bool emulated) =>
        emulated ? "Emulated: these numbers exercise the pipeline, not a model, and say nothing about which model is better."
        : difference.Lower is not { } lower || difference.Upper is not { } upper ? "No paired examples: the two models share no answered question."
        // With three or more models the api Holm-adjusts each pair's p-value across the pairs: a row that does not survive it names no winner.
        : (lower > 0 || upper < 0) && difference.AdjustedPValue is { } failed && failed >= 0.05
            ? $"No clear difference once Holm-adjusted across the pairs of models (adjusted p = {P(failed)}), although the interval leaves out zero."
        : difference.AdjustedPValue is null && lower > 0 ? $"The interval is above zero; no verdict is drawn on this pair (only the headline pair is tested by image)."
        : difference.AdjustedPValue is null && upper < 0 ? $"The interval is below zero; no verdict is drawn on this pair (only the headline pair is tested by image)."
        : lower > 0 ? $"{difference.ModelB} scored higher than {difference.ModelA} on these questions: the whole interval is above zero{Holm(difference)}."
        : upper < 0 ? $"{difference.ModelB} scored lower than {difference.ModelA} on these questions: the whole interval is below zero{Holm(difference)}."
        : $"No clear difference: the interval includes zero, so {difference.ModelB} and {difference.ModelA} cannot be told apart on these questions.";

    private static string Holm(PairedComparison difference) =>
        difference.AdjustedPValue is { } adjusted ? $", and it holds Holm-adjusted across the pairs of models (adjusted p = {P(adjusted)})" : "";

    private static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
