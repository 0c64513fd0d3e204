using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using VqaAspire.Contracts;
using VqaAspire.Web.Components.Controls;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

public sealed partial class Datasets
{
    private IReadOnlyList<DatasetSummary> _datasets = [];
    private IReadOnlyList<string> _presets = ["ocr-vqa"];
    private readonly ImportForm _import = new();
    private bool _busy;
    private string? _importMessage;
    private bool _importFailed;
    private string _filter = "";
    private string _sort = "newest";

    private IReadOnlyList<DatasetSummary> Shown => DatasetsViewModel.Arrange(_datasets, _filter, _sort);

    [Inject]
    public required VqaApiClient Api { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override bool InProgress => _datasets.Any(d => d.Status == DatasetStatuses.Importing);

    protected override bool PollsWithFeed => true;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _datasets = await Api.ListDatasetsAsync(cancellationToken);
        if (_presets.Count == 1)
        {
            _presets = await Api.ListPresetsAsync(cancellationToken);
        }
    }

    /// <summary>What the page fetches: the datasets and the presets it can import.</summary>
    public sealed record Fetched(IReadOnlyList<DatasetSummary> Datasets, IReadOnlyList<string> Presets);

    protected override Fetched Capture() => new(_datasets, _presets);

    protected override void Restore(Fetched loaded)
    {
        _datasets = loaded.Datasets;
        _presets = loaded.Presets;
    }

    private async Task ImportAsync()
    {
        await RunImportAsync(token => Api.ImportDatasetAsync(_import.ToRequest(), token));
    }

    private Task UploadImportedAsync(ImportAccepted accepted) => SafeLoadAsync();

    private async Task RunImportAsync(Func<CancellationToken, Task<ImportAccepted>> start)
    {
        _busy = true;
        try
        {
            var accepted = await start(PageClosed);
            _importFailed = false;
            _importMessage = $"Importing {accepted.Id}; it shows in the list with its progress.";
            await SafeLoadAsync();
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or IOException)
        {
            _importFailed = true;
            _importMessage = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The import form's fields; blank fields are left out of the request.</summary>
    private sealed class ImportForm
    {
        public string? Source { get; set; } = DatasetSourceKinds.Parquet;
        public string? Location { get; set; }
        public string? Name { get; set; }
        public string? Preset { get; set; } = "ocr-vqa";
        public string? ImageColumn { get; set; }
        public string? ImageIdColumn { get; set; }
        public string? QuestionColumn { get; set; }
        public string? AnswerColumn { get; set; }
        public string? Token { get; set; }

        public ImportRequest ToRequest()
        {
            var columns = new ColumnOverrides(Blank(ImageColumn), Blank(ImageIdColumn), Blank(QuestionColumn), Blank(AnswerColumn));
            return new ImportRequest(Source ?? DatasetSourceKinds.Parquet, Blank(Name), Blank(Location), Blank(Preset),
                columns == new ColumnOverrides() ? null : columns, Blank(Token));
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}

/// <summary>Numbers the dataset pages show, in split order.</summary>
public static class DatasetsViewModel
{
    public static readonly IReadOnlyList<(string, string)> SortOptions = [("newest", "Newest first"), ("name", "Name"), ("images", "Most images"), ("status", "Status")];

    public static IReadOnlyList<DatasetSummary> Arrange(IReadOnlyList<DatasetSummary> datasets, string filter, string sort)
    {
        var shown = datasets.Where(d => ListControls.Matches(filter, d.Id, d.Name, d.Source, d.Status, d.Preset, d.Location));
        return [.. sort switch
        {
            "name" => shown.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase),
            "images" => shown.OrderByDescending(d => d.Splits.Sum(s => s.Images)),
            "status" => shown.OrderBy(d => d.Status, StringComparer.Ordinal),
            _ => shown.OrderByDescending(d => d.CreatedAt),
        }];
    }

    public static IEnumerable<string> SplitValues(DatasetSummary dataset, Func<SplitStats, int> pick) =>
        new[] { "train", "validation", "test" }.Select(split => dataset.Splits.FirstOrDefault(s => s.Split == split) is { } stats ? pick(stats).ToString("N0") : "–");
}
