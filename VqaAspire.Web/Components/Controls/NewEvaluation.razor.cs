using Microsoft.AspNetCore.Components;
using VqaAspire.Contracts;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Controls;

/// <summary>
/// Starts another evaluation of a run (after the one-click pipeline, a cancel or a failure), with the settings of
/// the latest one to edit, and opens it. The api has no way to start one limited to the questions an earlier one
/// left unanswered, so a new evaluation asks every question again; the page says so where that matters.
/// </summary>
public sealed partial class NewEvaluation
{
    private EvaluationForm? _form;
    private string? _formFor;
    private bool _busy;
    private string? _error;

    [Parameter, EditorRequired] public RunView? Run { get; set; }

    /// <summary>The run's evaluations: none may be under way for another to start.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<EvaluationView> Evaluations { get; set; } = [];

    /// <summary>The evaluation whose settings the form starts from (the latest).</summary>
    [Parameter] public EvaluationView? Latest { get; set; }

    [Inject]
    public required VqaApiClient Api { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    private EvaluationForm Form
    {
        get
        {
            // Prefilled once per evaluation it starts from: the user's edits survive live refreshes.
            if (_form is null || _formFor != Latest?.Id)
            {
                _form = Latest is { } latest ? EvaluationForm.From(latest.Settings) : new EvaluationForm();
                _formFor = Latest?.Id;
            }

            return _form;
        }
    }

    /// <summary>
    /// A run that is prepared, whose fine-tune is not under way, and that has been evaluated before (or fine-tuned
    /// by the pipeline), with no evaluation waiting or running: the run page's first "Evaluate" covers the rest.
    /// </summary>
    public static bool Applies(RunView? run, IReadOnlyList<EvaluationView> evaluations) =>
        run is { Preparation: not null }
        && run.FineTuneStep?.Status.IsActive() != true
        && (evaluations.Count > 0 || (run.FineTuneStep?.Status == StepStatus.Succeeded && run.Settings.Continue?.Evaluate is not null))
        && !evaluations.Any(e => e.Step.Status.IsActive());

    /// <summary>What a new evaluation does about questions the latest left unanswered; null when it answered them all.</summary>
    public static string? UnansweredNote(EvaluationView? latest)
    {
        var unanswered = latest?.Summary?.Models.Sum(m => m.Failed) ?? 0;
        var stopped = latest?.Step.Status is StepStatus.Cancelled or StepStatus.Failed;
        if (unanswered == 0 && !stopped)
        {
            return null;
        }

        var what = unanswered > 0 ? $"{unanswered:N0} answers are missing from {latest!.Id}" : $"{latest!.Id} {latest.Step.Status.ToString().ToLowerInvariant()} before it finished";
        return $"{what}. A new evaluation asks every question again (the api cannot yet retry only the unanswered ones); {latest.Id} stays as it is.";
    }

    private async Task StartAsync()
    {
        if (Form.Problems().Count > 0)
        {
            _error = "The evaluation settings need a change (see the messages at the fields).";
            return;
        }

        (_busy, _error) = (true, null);
        try
        {
            var started = await Api.StartEvaluationAsync(Run!.Id, Form.ToRequest(Run.FineTune));
            Navigation.NavigateTo($"/evaluations/{started.Id}");
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
