using System.Globalization;
using System.Text.Json;
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
    /// The hyperparameters as labelled values: what the job resolved (the provider's <c>{"n_epochs": 3, "batch_size": 1}</c>,
    /// or <c>n_epochs=3, batch_size=1</c>) over what was asked, and "auto" only while neither says.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> Hyperparameters(FineTuneView fineTune)
    {
        var reported = Resolved(fineTune.Hyperparameters);
        var asked = fineTune.Settings;
        string Pick(string name, object? requested) => reported.GetValueOrDefault(name) is { } value && value != "auto" ? value
            : requested is IFormattable number ? number.ToString(null, CultureInfo.InvariantCulture)
            : requested?.ToString() ?? (fineTune.Status is "succeeded" or "failed" or "cancelled" ? "auto" : "auto (until the job resolves it)");
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

    /// <summary>The epochs the job resolved, or null while it says auto (or nothing).</summary>
    public static int? ResolvedEpochs(FineTuneView fineTune) =>
        int.TryParse(Resolved(fineTune.Hyperparameters).GetValueOrDefault("epochs"), NumberStyles.None, CultureInfo.InvariantCulture, out var epochs) ? epochs : null;

    /// <summary>The job's hyperparameters by plain name ("epochs", "batch size", "learning rate multiplier"), from its JSON or k=v text.</summary>
    public static IReadOnlyDictionary<string, string> Resolved(string? hyperparameters)
    {
        var text = hyperparameters?.Trim() ?? "";
        IEnumerable<(string Key, string Value)> pairs;
        if (text.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                pairs = [.. json.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))];
            }
            catch (JsonException)
            {
                pairs = [];
            }
        }
        else
        {
            pairs = text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(pair => pair.Split('=', 2)).Where(kv => kv.Length == 2).Select(kv => (kv[0], kv[1]));
        }

        return pairs.GroupBy(p => (p.Key.StartsWith("n_", StringComparison.Ordinal) ? p.Key[2..] : p.Key).Replace('_', ' '))
            .ToDictionary(g => g.Key, g => g.Last().Value);
    }

    private static LineSeries Smoothed(LineSeries series) =>
        series with { Name = $"{series.Name} (smoothed)", Points = ChartGeometry.Smooth(series.Points, SmoothingWindow) };

    private LineSeries Series(string name, string colour, Func<FineTunePoint, double?> pick) =>
        new(name, colour, [.. Points.Where(p => pick(p) is not null).Select(p => ((double)p.Step, pick(p)!.Value))]);
}
