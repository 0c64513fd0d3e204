using Microsoft.AspNetCore.Components;
using VqaAspire.Contracts;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

public sealed partial class NewRun
{
    /// <summary>Few-shot candidates shown in the picker: the first train examples.</summary>
    internal const int CandidateCount = 36;

    private IReadOnlyList<DatasetSummary> _datasets = [];
    private IReadOnlyList<FewShotCandidate> _candidates = [];
    private readonly NewRunForm _form = new();
    private bool _busy;
    private bool _submitted;
    private string? _startError;
    private string? _candidatesError;

    [SupplyParameterFromQuery(Name = "dataset")]
    public string? DatasetQuery { get; set; }

    [Inject]
    public required VqaApiClient Api { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override bool Concerns(string runId) => false;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _datasets = [.. (await Api.ListDatasetsAsync(cancellationToken)).Where(d => d.Status == DatasetStatuses.Ready)];
        if (_form.DatasetId is null || _datasets.All(d => d.Id != _form.DatasetId))
        {
            _form.DatasetId = _datasets.FirstOrDefault(d => d.Id == DatasetQuery)?.Id ?? _datasets.FirstOrDefault()?.Id;
            await LoadCandidatesAsync(cancellationToken);
        }
    }

    /// <summary>What the page fetches: the ready datasets, the one chosen, and its few-shot candidates.</summary>
    public sealed record Fetched(IReadOnlyList<DatasetSummary> Datasets, string? DatasetId, IReadOnlyList<FewShotCandidate> Candidates, string? CandidatesError);

    protected override Fetched Capture() => new(_datasets, _form.DatasetId, _candidates, _candidatesError);

    protected override void Restore(Fetched loaded)
    {
        _datasets = loaded.Datasets;
        _form.DatasetId = loaded.DatasetId;
        _candidates = loaded.Candidates;
        _candidatesError = loaded.CandidatesError;
    }

    private async Task DatasetChangedAsync()
    {
        _form.FewShotIds.Clear();
        await LoadCandidatesAsync(PageClosed);
    }

    private async Task LoadCandidatesAsync(CancellationToken cancellationToken)
    {
        if (_form.DatasetId is null)
        {
            _candidates = [];
            return;
        }

        try
        {
            var page = await Api.GetDatasetExamplesAsync(_form.DatasetId, "train", null, 0, CandidateCount, cancellationToken);
            _candidates = FewShotCandidate.From(page.Examples);
            _candidatesError = null;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _candidates = [];
            _candidatesError = ex.Message;
        }
    }

    private void Toggle(string exampleId)
    {
        if (!_form.FewShotIds.Remove(exampleId))
        {
            _form.FewShotIds.Add(exampleId);
        }
    }

    /// <summary>What the api would refuse, and asking a split for more images than it has, each at its field.</summary>
    private IReadOnlyList<FieldProblem> Problems => _form.Problems(_datasets.FirstOrDefault(d => d.Id == _form.DatasetId)?.Splits ?? []);

    private static string SplitSizes(DatasetSummary dataset) => dataset.Splits.Count == 0 ? ""
        : " · " + string.Join(", ", dataset.Splits.Select(s => $"{s.Split} {s.Images:N0}"));

    private async Task StartAsync()
    {
        _submitted = true;
        if (Problems.Count > 0)
        {
            // Nothing leaves the page until every field holds what the api takes.
            return;
        }

        _busy = true;
        _startError = null;
        try
        {
            var run = await Api.StartRunAsync(_form.ToRequest(), PageClosed);
            Navigation.NavigateTo($"/runs/{Uri.EscapeDataString(run.Id)}");
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _startError = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}

/// <summary>A train example offered as a few-shot pair, with the id the preparation knows it by ({imageId}#q{n}).</summary>
public sealed record FewShotCandidate(string ExampleId, DatasetExample Example)
{
    /// <summary>Numbers each image's questions in order; valid for a page read from the start of a split without a kind filter.</summary>
    public static IReadOnlyList<FewShotCandidate> From(IReadOnlyList<DatasetExample> examples)
    {
        var seen = new Dictionary<string, int>();
        return [.. examples.Select(e =>
        {
            var index = seen.GetValueOrDefault(e.ImageId);
            seen[e.ImageId] = index + 1;
            return new FewShotCandidate($"{e.ImageId}#q{index}", e);
        })];
    }
}

/// <summary>The new run form; defaults follow the reference notebook.</summary>
public sealed class NewRunForm
{
    public string? DatasetId { get; set; }
    public int Train { get; set; } = 150;
    public int Validation { get; set; } = 50;
    public int Test { get; set; } = 100;
    public int Seed { get; set; } = 42;
    public bool Stratify { get; set; }
    public int Quality { get; set; } = 50;
    public int? MaxSide { get; set; }
    public string? Detail { get; set; } = "auto";
    public string? SystemPrompt { get; set; }
    public int FewShotCount { get; set; } = 6;
    public List<string> FewShotIds { get; } = [];
    public string? BaseModel { get; set; }
    public int? Epochs { get; set; }
    public int? BatchSize { get; set; }
    public double? LearningRate { get; set; }
    public string? Suffix { get; set; }
    public bool Chain { get; set; }

    /// <summary>The shared rules' problems with the request this form would send, and the sizes it asks of each split.</summary>
    public IReadOnlyList<FieldProblem> Problems(IReadOnlyList<SplitStats> splits)
    {
        var request = ToRequest();
        return [.. PrepareRequestRules.Check(request), .. PrepareRequestRules.CheckAgainst(request.Sampling!, splits)];
    }

    public PrepareRequest ToRequest()
    {
        var baseModel = string.IsNullOrWhiteSpace(BaseModel) ? null : BaseModel.Trim();
        var fineTune = new FineTuneRequest(baseModel, Epochs, BatchSize, LearningRate, string.IsNullOrWhiteSpace(Suffix) ? null : Suffix.Trim());
        return new PrepareRequest(
            DatasetId ?? "",
            new SamplingSettings(Train, Validation, Test, Seed, Stratify),
            new ImageSettings(Quality, MaxSide, Detail ?? "auto"),
            new PromptSettings(string.IsNullOrWhiteSpace(SystemPrompt) ? null : SystemPrompt, FewShotIds.Count > 0 ? FewShotIds.Count : FewShotCount,
                FewShotIds.Count > 0 ? [.. FewShotIds] : null),
            baseModel,
            Epochs,
            Chain ? new PipelineContinuation(fineTune, new EvaluationRequest()) : null);
    }
}
