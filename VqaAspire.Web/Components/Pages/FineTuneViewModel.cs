using VqaAspire.Contracts;
using VqaAspire.Web.Components.Controls;

namespace VqaAspire.Web.Components.Pages;

/// <summary>What the fine-tune page shows: the job, its events, and its metrics as chart series.</summary>
public sealed record FineTuneViewModel(RunView? Run, IReadOnlyList<FineTuneEvent> Events, IReadOnlyList<FineTunePoint> Points)
{
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

    private LineSeries Series(string name, string colour, Func<FineTunePoint, double?> pick) =>
        new(name, colour, [.. Points.Where(p => pick(p) is not null).Select(p => ((double)p.Step, pick(p)!.Value))]);
}
