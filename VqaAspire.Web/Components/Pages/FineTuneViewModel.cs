using VqaAspire.Contracts;
using VqaAspire.Web.Components.Controls;

namespace VqaAspire.Web.Components.Pages;

/// <summary>What the fine-tune page shows: the job, its events, and its metrics as chart series.</summary>
public sealed record FineTuneViewModel(RunView? Run, IReadOnlyList<FineTuneEvent> Events, IReadOnlyList<FineTunePoint> Points, bool Emulated = false)
{
    /// <summary>Steps averaged by the smoothing toggle.</summary>
    public const int SmoothingWindow = 5;

    public FineTuneView? FineTune => Run?.FineTune;

    public RunStep? Step => Run?.FineTuneStep;

    public IReadOnlyList<LineSeries> LossSeries =>
    [
        Series("Train loss", ChartGeometry.Palette[0], p => p.TrainLoss),
        Series("Validation loss", ChartGeometry.Palette[1], p => p.ValidLoss),
    ];

    public IReadOnlyList<LineSeries> AccuracySeries =>
    [
        Series("Train accuracy", ChartGeometry.Palette[0], p => p.TrainAccuracy),
        Series("Validation accuracy", ChartGeometry.Palette[1], p => p.ValidAccuracy),
    ];

    public IReadOnlyList<LineSeries> LossSeriesFor(bool smooth) => smooth ? [.. LossSeries.Select(Smoothed)] : LossSeries;

    public IReadOnlyList<LineSeries> AccuracySeriesFor(bool smooth) => smooth ? [.. AccuracySeries.Select(Smoothed)] : AccuracySeries;

    /// <summary>
    /// The hyperparameters as labelled values: what the job reports (<c>n_epochs=3, batch_size=1</c>) over what was
    /// asked, and "auto" where neither says.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> Hyperparameters(FineTuneView fineTune)
    {
        var reported = (fineTune.Hyperparameters ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2)).Where(kv => kv.Length == 2)
            .ToDictionary(kv => (kv[0].StartsWith("n_", StringComparison.Ordinal) ? kv[0][2..] : kv[0]).Replace('_', ' '), kv => kv[1]);
        var asked = fineTune.Settings;
        string Pick(string name, object? requested) => reported.GetValueOrDefault(name) ?? requested?.ToString() ?? "auto";
        return
        [
            ("Epochs", Pick("epochs", asked.Epochs)),
            ("Batch size", Pick("batch size", asked.BatchSize)),
            ("Learning rate multiplier", Pick("learning rate multiplier", asked.LearningRateMultiplier)),
            ("Seed", Pick("seed", asked.Seed)),
            ("Suffix", asked.Suffix ?? "none"),
            ("Validation file", asked.UseValidationFile ? "used" : "not used"),
        ];
    }

    private static LineSeries Smoothed(LineSeries series) =>
        series with { Name = $"{series.Name} (smoothed)", Points = ChartGeometry.Smooth(series.Points, SmoothingWindow) };

    private LineSeries Series(string name, string colour, Func<FineTunePoint, double?> pick) =>
        new(name, colour, [.. Points.Where(p => pick(p) is not null).Select(p => ((double)p.Step, pick(p)!.Value))]);
}
