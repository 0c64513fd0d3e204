using Microsoft.AspNetCore.Components;
using VqaAspire.Contracts;
using VqaAspire.Web.Components.Controls;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

public sealed partial class Run
{
    private RunViewModel _view = RunViewModel.Empty;
    private bool _busy;
    private string? _actionError;
    private FineTuneForm _fineTune = new();
    private readonly EvaluationForm _evaluation = new();
    private bool? _emulated;
    private string? _fineTuneFormFor;

    [Parameter]
    public required string Id { get; set; }

    [Inject]
    public required VqaApiClient Api { get; init; }

    [Inject]
    public required AspireDashboardLinks Dashboard { get; init; }

    protected override bool Concerns(string runId) => runId == Id;

    protected override bool InProgress => _view.InProgress;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var run = await Api.GetRunAsync(Id, cancellationToken);
        IReadOnlyList<EvaluationView> evaluations = run?.LatestEvaluationId is null ? [] : await Api.ListEvaluationsForRunAsync(Id, cancellationToken);
        _emulated ??= await IsEmulatedAsync(cancellationToken);
        Restore(new Fetched(run, evaluations, _emulated ?? false));
    }

    /// <summary>What the page fetches: the run and its evaluations.</summary>
    /// <param name="Emulated">The app's provider is the emulator: the estimate and curves are not a real model's.</param>
    public sealed record Fetched(RunView? Run, IReadOnlyList<EvaluationView> Evaluations, bool Emulated = false);

    protected override Fetched Capture() => new(_view.Run, _view.Evaluations, _view.Emulated);

    protected override void Restore(Fetched loaded)
    {
        _emulated = loaded.Emulated;
        _view = new RunViewModel(loaded.Run, loaded.Evaluations, loaded.Emulated);
        if (loaded.Run is { } run && _fineTuneFormFor != run.Id)
        {
            // Prefilled once per run from what the new run page asked for; the user's edits survive live refreshes.
            _fineTune = new FineTuneForm { BaseModel = run.Settings.BaseModel, Epochs = run.Settings.Epochs };
            _fineTuneFormFor = run.Id;
        }
    }

    /// <summary>The epochs the estimate follows: the form's until the fine-tune starts, then the job's resolved ones (or those asked).</summary>
    private (int? Epochs, string Source) EstimateEpochs => _view.CanStartFineTune ? (_fineTune.Epochs, "the epochs in the form")
        : _view.Run?.FineTune is { } fineTune ? (FineTuneViewModel.ResolvedEpochs(fineTune) ?? fineTune.Settings.Epochs, "the epochs the job ran")
        : (null, "");

    private IReadOnlyList<FieldProblem> FineTuneProblems => FineTuneRequestRules.Check(_fineTune.ToRequest());

    private async Task StartFineTuneAsync()
    {
        if (FineTuneProblems.Count > 0)
        {
            // Nothing is sent (or spent) until every hyperparameter is in OpenAI's range.
            _actionError = "The fine-tune settings need a change (see the messages at the fields).";
            return;
        }

        await ActAsync(token => Api.StartFineTuneAsync(Id, _fineTune.ToRequest(), token));
    }

    private Task CancelAsync() => ActAsync(token => Api.CancelFineTuneAsync(Id, token));

    /// <summary>The provider named for "Run again on another provider": the app's by its kind, or another configured one by its name.</summary>
    private string? _otherProvider;

    private Task RunElsewhereAsync() => ActAsync(token => Api.StartFineTuneOnProviderAsync(Id, new FineTuneOnProviderRequest(_otherProvider?.Trim()), token));

    private Task PauseAsync(bool pause) => ActAsync(token => Api.PauseFineTuneAsync(Id, pause, token));

    private Task DeployAsync() => ActAsync(token => Api.DeployFineTuneAsync(Id, token));

    private Task DeleteDeploymentAsync() => ActAsync(token => Api.DeleteFineTuneDeploymentAsync(Id, token));


    private async Task EvaluateAsync()
    {
        if (_evaluation.Problems().Count > 0)
        {
            _actionError = "The evaluation settings need a change (see the messages at the fields).";
            return;
        }

        await ActAsync(token => Api.StartEvaluationAsync(Id, _evaluation.ToRequest(_view.Run?.FineTune), token));
    }

    /// <summary>Asked once per page: whether the provider is the emulator. Unknown (not shown) when the status fails.</summary>
    private async Task<bool?> IsEmulatedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await Api.GetStatusAsync(cancellationToken)).Provider.IsEmulated;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            return null;
        }
    }

    private async Task ActAsync(Func<CancellationToken, Task> action)
    {
        _busy = true;
        _actionError = null;
        try
        {
            await action(PageClosed);
            await SafeLoadAsync();
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _actionError = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}

/// <summary>The hyperparameters asked for before "Start fine-tune"; blank fields are auto.</summary>
public sealed class FineTuneForm
{
    public string? BaseModel { get; set; }
    public int? Epochs { get; set; }
    public int? BatchSize { get; set; }
    public double? LearningRate { get; set; }
    public string? Suffix { get; set; }
    public string? TrainingType { get; set; }
    public string? DeploymentSku { get; set; }
    public bool DeleteDeploymentAfterEvaluation { get; set; }

    public FineTuneRequest ToRequest() => new(string.IsNullOrWhiteSpace(BaseModel) ? null : BaseModel.Trim(), Epochs, BatchSize, LearningRate,
        string.IsNullOrWhiteSpace(Suffix) ? null : Suffix.Trim(),
        TrainingType: string.IsNullOrWhiteSpace(TrainingType) ? null : TrainingType.Trim(), DeleteDeploymentAfterEvaluation: DeleteDeploymentAfterEvaluation,
        DeploymentSku: string.IsNullOrWhiteSpace(DeploymentSku) ? null : DeploymentSku.Trim());
}

/// <summary>What the run page shows: the run, its four steps in order, and which actions apply now.</summary>
public sealed record RunViewModel(RunView? Run, IReadOnlyList<EvaluationView> Evaluations, bool Emulated = false)
{
    public static readonly RunViewModel Empty = new(null, []);

    public sealed record StepRow(string Key, string Title, RunStep? Step, (string Href, string Text)? Link);

    public EvaluationView? LatestEvaluation => Evaluations.FirstOrDefault(e => e.Id == Run?.LatestEvaluationId) ?? Evaluations.LastOrDefault();

    public IReadOnlyList<StepRow> Steps => Run is null ? [] :
    [
        new("prepare", "Prepare", Run.Prepare, null),
        new("upload", "Upload", Run.Upload, null),
        new("fine-tune", "Fine-tune", Run.FineTuneStep, Run.FineTune is null ? null : ($"/runs/{Run.Id}/fine-tune", "Fine-tune details")),
        new("evaluate", "Evaluate", LatestEvaluation?.Step, LatestEvaluation is { } e ? ($"/evaluations/{e.Id}", "Scores and examples") : null),
    ];

    public bool InProgress => Steps.Any(s => s.Step?.Status.IsActive() == true);

    public bool CanStartFineTune => Run is { Preparation: not null, FineTune: null, FineTuneStep: null, Upload: null, Prepare.Status: StepStatus.Succeeded }
        && Run.Preparation.Splits.All(s => s.Validation.IsValid) && Run.Settings.Continue?.FineTune is null;

    public bool CanCancel => Run?.FineTuneStep?.Status is StepStatus.Queued or StepStatus.Running || Run?.Upload?.Status is StepStatus.Running;

    /// <summary>Azure OpenAI pauses a running job (that has trained a step) and resumes a paused one.</summary>
    public bool CanPause => Run?.FineTune is { Status: "running", JobId: not null } && IsAzure;

    public bool CanResume => Run?.FineTune is { Status: "paused" } && IsAzure;

    /// <summary>A deployment the app made, billed by the hour until deleted.</summary>
    public bool CanDeleteDeployment => Run?.FineTune is { DeploymentName: not null, DeploymentState: "Succeeded" or "Creating" or "Accepted" };

    public bool CanDeploy => Run?.FineTune is { Status: "succeeded", DeploymentState: "Deleted" };

    private bool IsAzure => Run?.FineTune?.ProviderKind == "azure";

    public bool CanEvaluate => Run is { FineTuneStep.Status: StepStatus.Succeeded } && Run.Settings.Continue?.Evaluate is null
        // Run again on another provider: the new fine-tune is evaluated beside the earlier one.
        && (LatestEvaluation is null || (Run.EarlierFineTunes is { Count: > 0 } && LatestEvaluation.CreatedAt < Run.FineTuneStep.FinishedAt));

    /// <summary>The run's fine-tunes, earlier ones first, each with the provider it is on; the last is the current one.</summary>
    public IReadOnlyList<(FineTuneView FineTune, string Provider, bool Current)> FineTunes => Run is null ? [] :
    [
        .. (Run.EarlierFineTunes ?? []).Select(f => (f, ProviderOf(f), false)),
        .. Run.FineTune is { } current ? new[] { (current, ProviderOf(current), true) } : [],
    ];

    private static string ProviderOf(FineTuneView fineTune) =>
        fineTune.Provider is { } other ? $"{other} ({fineTune.ProviderKind})" : fineTune.ProviderKind ?? "the app's provider";

    /// <summary>A fine-tune that has ended can be run again on another provider, from the same prepared files.</summary>
    public bool CanRunElsewhere => Run is { FineTune: not null, Preparation: not null } && Run.FineTuneStep?.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Cancelled;

    /// <summary>The api chains the next steps by itself (the one-click pipeline).</summary>
    public bool IsPipeline => Run?.Settings.Continue is not null;

    /// <summary>
    /// The estimate for the epochs that will run or ran: the api's is for the epochs asked when the run was made (or
    /// its auto guess); <paramref name="epochs"/> (the form's before the start, the job's resolved ones after) rescales
    /// it, billed tokens per epoch times epochs times the price. Out of range or unknown: the api's as it is.
    /// </summary>
    public static TrainingEstimate EstimateFor(TrainingEstimate estimate, int? epochs)
    {
        if (epochs is not { } n || n < FineTuneRequestRules.MinEpochs || n > FineTuneRequestRules.MaxEpochs || (n == estimate.Epochs && !estimate.EpochsAuto))
        {
            return estimate;
        }

        var trained = estimate.BilledTokensPerEpoch * n;
        return estimate with
        {
            Epochs = n,
            EpochsAuto = false,
            TrainedTokens = trained,
            EstimatedCostUsd = estimate.TrainingPricePerMillion is { } price ? price * trained / 1_000_000m : null,
        };
    }

    public static string Percent(double progress) => $"{progress:0%}";

    public static string Duration(RunStep step) => step.StartedAt is { } start
        ? $" · {((step.FinishedAt ?? DateTimeOffset.UtcNow) - start).TotalSeconds:0} s"
        : "";
}
