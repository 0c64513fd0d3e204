namespace VqaAspire.Contracts;

/// <summary>Scores per model, per question kind, with intervals, and the paired comparisons.</summary>
/// <param name="Metric">The dataset's own metric, chosen from its preset (shown first).</param>
/// <param name="Preset">The dataset's preset the metric was chosen from.</param>
/// <param name="Headline">The second model minus the first (fine-tuned minus base) on <paramref name="Metric"/>, over every kind; null with one model.</param>
/// <param name="Differences">The same paired difference overall and per question kind.</param>
/// <param name="Emulated">The OpenAI emulator answered for at least one model (see each model's <c>emulated</c>): the comparison exercises the pipeline, not a model.</param>
/// <param name="Judge">What really graded open-ended answers, in words: the judge model and its endpoint, or the emulator's string similarity.</param>
/// <param name="Reading">The headline in words, with the emulator's caveat when emulated.</param>
/// <param name="Power">The headline pair's minimum detectable difference (80% power, 5% two-sided); null with one model.</param>
/// <param name="Changes">The examples the second model fixed and broke, by question kind and kind of error; null with one model.</param>
/// <param name="CostPerPoint">Training plus evaluation cost per point gained, with its interval; null without a fine-tune.</param>
/// <param name="Warnings">What makes the scores less trustworthy (a judge of a compared model's family...); null when nothing does.</param>
/// <param name="Verdict">Whether a better model is named on the headline, and why or why not; null with one model.</param>
/// <param name="JudgedBy">The judge as it answered: model, endpoint, reported snapshots, and whether the emulator graded.</param>
/// <remarks><see cref="MetricVariant"/>: "official", or "lenient" when asked (then <paramref name="Metric"/> names it too).</remarks>
public sealed record EvaluationSummary(
    IReadOnlyList<ModelScores> Models,
    IReadOnlyList<PairedTest> PairedTests,
    string? Metric = null,
    string? Preset = null,
    PairedComparison? Headline = null,
    IReadOnlyList<PairedComparison>? Differences = null,
    bool Emulated = false,
    string? Judge = null,
    string? Reading = null,
    IReadOnlyList<string>? Warnings = null,
    PowerReading? Power = null,
    FineTuneChanges? Changes = null,
    CostPerPoint? CostPerPoint = null,
    JudgedBy? JudgedBy = null,
    EvaluationVerdict? Verdict = null)
{
    /// <summary>How the metric was computed: "official" (the default) or the opt-in "lenient"; <see cref="Metric"/> names a lenient one.</summary>
    public string MetricVariant { get; init; } = MetricVariants.Official;

    /// <summary>With <c>earlyStop</c>: the looks made, where the evaluation stopped and why, and what stopping saved; null otherwise.</summary>
    public EarlyStopReading? EarlyStop { get; init; }
}
