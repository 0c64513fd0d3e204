using Microsoft.AspNetCore.Components;
using VqaAspire.Contracts;
using VqaAspire.Web.Components.Controls;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

public sealed partial class Dataset
{
    private DatasetViewModel _view = new(null);
    private string? _split = "train";
    private string? _kind = "";

    [Parameter]
    public required string Id { get; set; }

    [Inject]
    public required VqaApiClient Api { get; init; }

    protected override bool InProgress => _view.Dataset?.Status == DatasetStatuses.Importing;

    protected override bool PollsWithFeed => true;

    protected override bool Concerns(string runId) => false;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _view = new DatasetViewModel(await Api.GetDatasetAsync(Id, cancellationToken));
        if (_view.Dataset?.Splits is { Count: > 0 } splits && splits.All(s => s.Split != _split))
        {
            _split = splits[0].Split;
        }
    }

    /// <summary>What the page fetches (the dataset), and the split it chose to show from it.</summary>
    public sealed record Fetched(DatasetSummary? Dataset, string? Split);

    protected override Fetched Capture() => new(_view.Dataset, _split);

    protected override void Restore(Fetched loaded)
    {
        _view = new DatasetViewModel(loaded.Dataset);
        _split = loaded.Split;
    }

}

/// <summary>What the dataset page shows: its stats as chart bars, and the gallery's size under a filter.</summary>
public sealed record DatasetViewModel(DatasetSummary? Dataset)
{
    private IReadOnlyList<SplitStats> Splits => Dataset?.Splits ?? [];

    public IReadOnlyList<string> Kinds => [.. Splits.SelectMany(s => s.QuestionKinds.Keys).Distinct().Order()];

    public int Count(string? split, string? kind) => Splits.FirstOrDefault(s => s.Split == split) is not { } stats ? 0
        : string.IsNullOrEmpty(kind) ? stats.QaPairs : stats.QuestionKinds.GetValueOrDefault(kind);

    public IReadOnlyList<BarDatum> KindBars =>
        [.. Splits.SelectMany(s => s.QuestionKinds.OrderBy(k => k.Key).Select(k => new BarDatum($"{s.Split} · {k.Key}", k.Value, k.Value.ToString("N0"), Group: s.Split)))];

    public IReadOnlyList<BarDatum> SizeBars =>
    [
        .. Splits.SelectMany(s => new[] { ("width", s.Width), ("height", s.Height) }
            .Where(x => x.Item2 is not null)
            .Select(x => new BarDatum($"{s.Split} · {x.Item1}", x.Item2!.Median, x.Item2.Median.ToString("N0"), x.Item2.Min, x.Item2.Max, s.Split))),
    ];

    public static string Size(SizeSummary? size) => size is null ? "–" : $"{size.Min:N0} / {size.Median:N0} / {size.Max:N0}";
}
