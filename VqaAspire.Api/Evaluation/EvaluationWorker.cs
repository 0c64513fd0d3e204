using System.Diagnostics;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workers;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Creates evaluations and runs them one at a time in the background. After a restart, unfinished evaluations are
/// taken up again and ask only the examples that have no answer yet.
/// </summary>
public sealed class EvaluationWorker(EvaluationQueue queue, EvaluationStore evaluations, RunStore runs, EvaluationRunner runner, IModelProvider provider,
    TimeProvider time, ILogger<EvaluationWorker> logger) : BackgroundService, IWorkerState
{
    private volatile bool _loopAlive;
    private volatile string? _evaluating;

    public string Name => "evaluation worker";

    public bool IsRunning => _loopAlive;

    public string? Current => _evaluating is { } id ? $"Evaluating {id}" : null;

    public int Waiting => queue.Depth;

    /// <summary>The models compared when the request names none: the base snapshot, and the fine-tuned model when there is one.</summary>
    public static IReadOnlyList<EvaluationModel> DefaultModels(RunView run)
    {
        var models = new List<EvaluationModel> { new("base", run.FineTune?.BaseModel ?? run.Settings.BaseModel ?? DatasetPreparer.DefaultBaseModel) };
        if (run.FineTune?.FineTunedModel is { } fineTuned)
        {
            // Azure serves a fine-tuned model through its deployment.
            models.Add(new EvaluationModel("fine-tuned", run.FineTune.DeploymentName ?? fineTuned));
        }

        return models;
    }

    public static string? Problem(EvaluationRequest request) =>
        request.Mode is not ("sync" or "batch") ? "mode must be sync or batch."
        : request.MaxConcurrency is < 1 or > 256 ? "maxConcurrency must be between 1 and 256."
        : request.RequestsPerMinute < 0 || request.TokensPerMinute < 0 ? "Limits cannot be negative."
        : request.Models?.FirstOrDefault(m => string.IsNullOrWhiteSpace(m.Name) || string.IsNullOrWhiteSpace(m.Model)) is not null ? "Every model needs a name and a model id."
        : request.Models?.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate ? $"Two models are named '{duplicate.Key}'."
        : request.Models?.FirstOrDefault(m => m.Endpoint is { Length: > 0 } e && !Uri.TryCreate(e, UriKind.Absolute, out _)) is { } bad ? $"The endpoint of '{bad.Name}' is not an absolute URL."
        : JudgeChoice.Problem(request) is { } judgeProblem ? judgeProblem
        : null;

    public async Task<EvaluationView> StartAsync(RunView run, EvaluationRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Azure OpenAI: deployment names for the base model and the judge, batch only where Azure runs it.
        var (planned, models, note) = Providers.Azure.AzureEvaluationPlan.Apply(provider.Settings, request, request.Models is { Count: > 0 } named ? named : DefaultModels(run));
        var evaluation = new EvaluationView($"eval_{now:yyyyMMddHHmmss}_{Guid.NewGuid().ToString("N")[..6]}", run.Id, now, planned,
            models, new RunStep(StepStatus.Queued, Message: note), provider.Settings.IsEmulated, null);
        await evaluations.SaveAsync(evaluation);
        await runs.UpdateAsync(run.Id, r => r with { LatestEvaluationId = evaluation.Id });
        await queue.EnqueueAsync(evaluation.Id, cancellationToken);
        return evaluation;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _loopAlive = true;
        try
        {
            foreach (var unfinished in (await evaluations.ListAsync(limit: 1000)).Where(e => e.Step.Status is StepStatus.Queued or StepStatus.Running).Reverse())
            {
                logger.LogInformation("Resuming evaluation {EvaluationId}", unfinished.Id);
                await queue.EnqueueAsync(unfinished.Id, stoppingToken);
            }

            await foreach (var id in queue.ReadAllAsync(stoppingToken))
            {
                _evaluating = id;
                try
                {
                    await RunAsync(id, stoppingToken);
                }
                finally
                {
                    _evaluating = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the evaluation stays running and resumes at the next start.
        }
        finally
        {
            _loopAlive = false;
        }
    }

    private async Task RunAsync(string id, CancellationToken cancellationToken)
    {
        var evaluation = await evaluations.GetAsync(id);
        if (evaluation is null || evaluation.Step.Status is StepStatus.Succeeded or StepStatus.Failed)
        {
            return;
        }

        using var activity = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate");
        activity?.SetTag(PipelineTelemetry.RunIdTag, evaluation.RunId);
        activity?.SetTag("vqa.evaluation_id", id);
        var started = evaluation.Step.StartedAt ?? time.GetUtcNow();
        var traceId = activity?.TraceId.ToString();
        await evaluations.UpdateAsync(id, e => e with { Step = new RunStep(StepStatus.Running, e.Step.Progress, "Starting", started, null, traceId) });
        EvaluationProgress latest = default;

        try
        {
            using var ticker = new CancellationTokenSource();
            var reporter = ReportAsync(id, started, traceId, () => latest, ticker.Token);
            var summary = await runner.RunAsync(evaluation, new SynchronousProgress(p => latest = p), cancellationToken);
            await ticker.CancelAsync();
            await reporter;
            var answered = summary.Models.Sum(m => m.Answered);
            var failed = summary.Models.Sum(m => m.Failed);
            await evaluations.UpdateAsync(id, e => e with
            {
                Summary = summary,
                Emulated = e.Emulated || provider.Settings.IsEmulated,
                Step = new RunStep(failed == 0 ? StepStatus.Succeeded : StepStatus.Failed, 1,
                    failed == 0 ? $"{answered} answers scored" : $"{answered} answers scored; {failed} could not be answered (start it again to retry them).",
                    started, time.GetUtcNow(), traceId),
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Evaluation {EvaluationId} failed", id);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await evaluations.UpdateAsync(id, e => e with { Step = e.Step with { Status = StepStatus.Failed, Message = ex is PreparationException ? ex.Message : $"Evaluation failed: {ex.Message}", FinishedAt = time.GetUtcNow() } });
        }
    }

    /// <summary>Writes progress twice a second while the evaluation runs.</summary>
    private async Task ReportAsync(string id, DateTimeOffset started, string? traceId, Func<EvaluationProgress> latest, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var p = latest();
                await evaluations.UpdateAsync(id, e => e with
                {
                    Step = new RunStep(StepStatus.Running, p.Total == 0 ? 0 : Math.Round((double)p.Done / p.Total, 3), $"{p.Message}: {p.Done}/{p.Total}", started, null, traceId),
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Progress that records on the caller's thread, with no hop through a synchronization context.</summary>
    private sealed class SynchronousProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
