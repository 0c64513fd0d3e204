using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using VqaAspire.Contracts;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

public sealed partial class Playground
{
    /// <summary>Images offered from the chosen split: its first examples' covers.</summary>
    internal const int ImagesShown = 24;

    /// <summary>OpenAI's limit for one image.</summary>
    internal const long MaxUploadBytes = 20L * 1024 * 1024;

    private const string DefaultBaseModel = "gpt-4o-2024-08-06";

    private IReadOnlyList<DatasetSummary> _datasets = [];
    private List<ModelChoice> _choices = [];
    private IReadOnlyList<DatasetExample> _examples = [];
    private IReadOnlyList<DatasetExample> _images = [];
    private IReadOnlyList<DatasetExample> _questions = [];
    private readonly ModelChoice _custom = new("", "", null);
    private string? _datasetId;
    private string _split = "test";
    private string? _imageId;
    private UploadedImage? _upload;
    private string? _question;
    private string? _systemPrompt;
    private string? _imagesError;
    private string? _askError;
    private bool _busy;
    private bool _emulated;
    private IReadOnlyList<FieldProblem> _problems = [];
    private PlaygroundResult? _result;

    /// <summary>A model to preselect, e.g. a checkpoint from the fine-tune page's "Compare in the playground".</summary>
    [SupplyParameterFromQuery(Name = "model")]
    public string? ModelQuery { get; set; }

    [SupplyParameterFromQuery(Name = "name")]
    public string? NameQuery { get; set; }

    [SupplyParameterFromQuery(Name = "base")]
    public string? BaseQuery { get; set; }

    [Inject]
    public required VqaApiClient Api { get; init; }

    protected override bool Concerns(string runId) => false;

    /// <summary>What the page fetches: ready datasets, the models of the runs, whether the provider is emulated, and the first split's examples.</summary>
    public sealed record Fetched(IReadOnlyList<DatasetSummary> Datasets, IReadOnlyList<ModelChoice> Choices, bool Emulated, IReadOnlyList<DatasetExample> Examples);

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var datasets = Api.ListDatasetsAsync(cancellationToken);
        var runs = Api.ListRunsAsync(0, 50, cancellationToken);
        var status = Api.GetStatusAsync(cancellationToken);
        _datasets = [.. (await datasets).Where(d => d.Status == DatasetStatuses.Ready)];
        _datasetId ??= _datasets.FirstOrDefault()?.Id;
        var examples = await ExamplesAsync(cancellationToken);
        Restore(new Fetched(_datasets, ModelChoice.FromRuns(await runs, BaseQuery ?? DefaultBaseModel, ModelQuery, NameQuery), (await status).Provider.IsEmulated, examples));
    }

    protected override Fetched Capture() => new(_datasets, _choices, _emulated, _examples);

    protected override void Restore(Fetched loaded)
    {
        _datasets = loaded.Datasets;
        _choices = [.. loaded.Choices];
        _emulated = loaded.Emulated;
        _datasetId ??= _datasets.FirstOrDefault()?.Id;
        ShowExamples(loaded.Examples);
    }

    private async Task<IReadOnlyList<DatasetExample>> ExamplesAsync(CancellationToken cancellationToken)
    {
        if (_datasetId is null)
        {
            return [];
        }

        try
        {
            _imagesError = null;
            return (await Api.GetDatasetExamplesAsync(_datasetId, _split, null, 0, ImagesShown * 4, cancellationToken)).Examples;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _imagesError = ex.Message;
            return [];
        }
    }

    private async Task LoadImagesAsync() => ShowExamples(await ExamplesAsync(PageClosed));

    private void ShowExamples(IReadOnlyList<DatasetExample> examples)
    {
        _examples = examples;
        _images = [.. examples.DistinctBy(e => e.ImageId).Take(ImagesShown)];
        if (_upload is null && _images.FirstOrDefault() is { } first && _images.All(i => i.ImageId != _imageId))
        {
            Pick(first);
        }
    }

    private void Pick(DatasetExample image)
    {
        _upload = null;
        _imageId = image.ImageId;
        _questions = [.. _examples.Where(e => e.ImageId == image.ImageId)];
        _question = _questions.FirstOrDefault()?.Question ?? _question;
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        _askError = null;
        if (e.File.Size > MaxUploadBytes)
        {
            _problems = [new FieldProblem("image", $"{e.File.Name} is {e.File.Size:N0} bytes; OpenAI takes images up to 20 MB.")];
            return;
        }

        await using var stream = e.File.OpenReadStream(MaxUploadBytes, PageClosed);
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, PageClosed);
        var type = string.IsNullOrEmpty(e.File.ContentType) ? "image/jpeg" : e.File.ContentType;
        _upload = new UploadedImage(e.File.Name, $"data:{type};base64,{Convert.ToBase64String(bytes.ToArray())}");
        _questions = [];
    }

    private void AddCustom()
    {
        if (!string.IsNullOrWhiteSpace(_custom.Model))
        {
            var model = _custom.Model.Trim();
            _choices.Add(new ModelChoice(string.IsNullOrWhiteSpace(_custom.Name) ? model : _custom.Name.Trim(), model,
                string.IsNullOrWhiteSpace(_custom.Endpoint) ? null : _custom.Endpoint.Trim()) { Picked = true });
            (_custom.Name, _custom.Model, _custom.Endpoint) = ("", "", null);
        }
    }

    private string? Truth => _upload is null ? _questions.FirstOrDefault(q => q.Question == _result?.Question)?.Answer : null;

    private PlaygroundRequest ToRequest() => new(
        [.. _choices.Where(c => c.Picked).Select(c => new EvaluationModel(c.Name, c.Model, c.Endpoint))],
        _question ?? "",
        string.IsNullOrWhiteSpace(_systemPrompt) ? null : _systemPrompt,
        _upload is null ? _datasetId : null,
        _upload is null ? _imageId : null,
        _upload is null ? _split : null,
        _upload?.DataUrl);

    private async Task AskAsync()
    {
        var request = ToRequest();
        _problems = PlaygroundRules.Check(request);
        _askError = null;
        if (_problems.Count > 0)
        {
            return;
        }

        _busy = true;
        try
        {
            _result = await Api.AskPlaygroundAsync(request, PageClosed);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _askError = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>An image uploaded from the user's machine, held as the data URL sent to the models.</summary>
    private sealed record UploadedImage(string Name, string DataUrl);
}
