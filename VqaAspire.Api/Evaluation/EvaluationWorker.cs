using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workers;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Creates evaluations and runs them in the background, side by side up to <see cref="EvaluationOptions.MaxConcurrentEvaluations"/>,
/// each within its time limits: one that fails, hangs or crawls never holds up the others. After a restart, unfinished
/// evaluations are taken up again and ask only the examples that have no answer yet; one that cannot go on fails once, with why.
/// The queue is shared by the replicas: an evaluation whose replica died is taken over by another the same way, and a
/// cancel reaches the replica running it whichever replica received it.
/// </summary>
public sealed class EvaluationWorker(EvaluationQueue queue, IConnectionMultiplexer redis, EvaluationStore evaluations, RunStore runs, IEvaluationRunner runner, IModelProvider provider,
    IOptions<EvaluationOptions> options, TimeProvider time, ILogger<EvaluationWorker> logger) : BackgroundService, IWorkerState
{
    private readonly WorkSlots _slots = new(options.Value.MaxConcurrentEvaluations, Timeout.InfiniteTimeSpan);
    private readonly EvaluationLine _line = new(evaluations, queue, options.Value.MaxConcurrentEvaluations);
    private readonly ConcurrentDictionary<string, RunningEvaluation> _running = new();
    private volatile bool _loopAlive;

    public string Name => "evaluation worker";

    public bool IsRunning => _loopAlive;

    public string? Current => _running.IsEmpty ? null : $"Evaluating {string.Join(", ", _running.Keys.Order())}";

    public Task<int> WaitingAsync() => queue.DepthAsync();

    /// <summary>
    /// The models compared when the request names none: the base snapshot, the fine-tuned model when there is one, and
    /// the fine-tunes the run kept from other providers ("fine-tuned on openai"), each asked on the provider it is on.
    /// </summary>
    public static IReadOnlyList<EvaluationModel> DefaultModels(RunView run)
    {
        var models = new List<EvaluationModel> { new("base", run.FineTune?.BaseModel ?? run.Settings.BaseModel ?? DatasetPreparer.DefaultBaseModel) };
        if (run.FineTune?.FineTunedModel is { } fineTuned)
        {
            // Azure serves a fine-tuned model through its deployment.
            models.Add(new EvaluationModel("fine-tuned", run.FineTune.DeploymentName ?? fineTuned, Provider: run.FineTune.Provider));
        }

        foreach (var earlier in run.EarlierFineTunes ?? [])
        {
            // One Azure no longer serves (its deployment deleted) would only fail every answer: it is left out.
            if (earlier.FineTunedModel is { } model && !earlier.NeedsDeployment && earlier.DeploymentState is null or Providers.Azure.AzureProvisioningStates.Succeeded)
            {
                var name = $"fine-tuned on {earlier.Provider ?? earlier.ProviderKind}";
                models.Add(new EvaluationModel(models.Any(m => m.Name == name) ? $"{name} ({earlier.JobId})" : name, earlier.DeploymentName ?? model, Provider: earlier.Provider));
            }
        }

        return models;
    }

    public static string? Problem(EvaluationRequest request) => EvaluationRequestRules.Problem(request);

    /// <summary>The request and models as they will run: on Azure OpenAI, deployment names for the base model and the judge, batch only where Azure runs it.</summary>
    public (EvaluationRequest Request, IReadOnlyList<EvaluationModel> Models, string? Note) Plan(RunView run, EvaluationRequest request) =>
        Providers.Azure.AzureEvaluationPlan.Apply(provider.Settings, request, request.Models is { Count: > 0 } named ? named : DefaultModels(run));

    /// <summary>An evaluation's id: when it was made, and enough randomness to be unique.</summary>
    public static string NewId(DateTimeOffset now) => $"eval_{now:yyyyMMddHHmmss}_{Guid.NewGuid().ToString("N")[..6]}";

    /// <param name="tokensPerMinute">Azure OpenAI: tokens a minute each deployment it will call serves, for the capacity warning; null when not known.</param>
    public async Task<EvaluationView> StartAsync(RunView run, EvaluationRequest request, CancellationToken cancellationToken, IReadOnlyDictionary<string, long>? tokensPerMinute = null)
    {
        var now = time.GetUtcNow();
        var (planned, models, note) = Plan(run, request);
        if (provider.Settings.IsAzure && tokensPerMinute is not null && Providers.Azure.AzureEvaluationPlan.CapacityWarning(run, planned, models, tokensPerMinute) is { } warning)
        {
            note = note is null ? warning : $"{note} {warning}";
        }

        var evaluation = new EvaluationView(NewId(now), run.Id, now, planned,
            models, new RunStep(StepStatus.Queued, Message: note), ExpectEmulated(models), null);
        await evaluations.SaveAsync(evaluation);
        await runs.UpdateAsync(run.Id, r => r with { LatestEvaluationId = evaluation.Id });
        await EnqueueAsync(evaluation.Id, cancellationToken);
        return evaluation;
    }

    /// <summary>Before any answer: a model asked on the run's emulator provider will be answered by the emulator; one with its own endpoint will not.</summary>
    private bool ExpectEmulated(IReadOnlyList<EvaluationModel> models) =>
        provider.Settings.IsEmulated && models.Any(m => string.IsNullOrWhiteSpace(m.Endpoint));

    /// <summary>How long a cancel waits for the evaluation to stop: well inside a caller's usual 30 s request timeout.</summary>
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Cancels an evaluation: a waiting one never starts, a running one stops at once (its recorded answers stay in its
    /// folder). Evaluation null when there is no such evaluation; Cancelled false when it had already finished.
    /// </summary>
    public async Task<(EvaluationView? Evaluation, bool Cancelled)> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (await _line.CancelWaitingAsync(id, time.GetUtcNow(), cancellationToken) is { } waiting)
        {
            // The ones behind it move up.
            await _line.PublishAsync(cancellationToken);
            return (waiting, true);
        }

        if (_running.TryGetValue(id, out var running))
        {
            await running.Cancel.CancelAsync();
            // The worker writes the cancelled status once its requests stopped: at once for requests, a poll for a batch.
            await running.Ended.Task.WaitAsync(CancelWait, cancellationToken);
            return (await evaluations.GetAsync(id), true);
        }

        var current = await evaluations.GetAsync(id);
        if (current is null || !current.Step.Status.IsActive())
        {
            // Not running and not waiting: unknown, or already finished.
            return (current, false);
        }

        // Running on another replica (or taken, about to run): that replica stops it and writes the cancelled status.
        await EvaluationCancels.RequestAsync(redis, id);
        var deadline = time.GetUtcNow() + CancelWait;
        while (await evaluations.GetAsync(id) is { } now && now.Step.Status.IsActive() && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        return (await evaluations.GetAsync(id), true);
    }

    /// <summary>
    /// Queues a finished evaluation again to ask only its unanswered questions (the runner skips every recorded answer)
    /// and score them all anew. Evaluation null when there is no such evaluation; Refusal says why it cannot be retried.
    /// </summary>
    public async Task<(EvaluationView? Evaluation, string? Refusal)> RetryAsync(string id, CancellationToken cancellationToken)
    {
        var current = await evaluations.GetAsync(id);
        if (current is null)
        {
            return (null, null);
        }

        if ((EvaluationCompletion.CannotRetry(current) ?? CannotGoOn(current with { Step = current.Step with { StartedAt = null } })) is { } refusal)
        {
            return (current, refusal);
        }

        // A new start: the time limit counts from the retry, not from the first attempt.
        var queued = await evaluations.UpdateAsync(id, e => e with { Step = new RunStep(StepStatus.Queued, e.Step.Progress, "Queued to retry the unanswered questions") });
        await EnqueueAsync(id, cancellationToken);
        return (queued, null);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _loopAlive = true;
        try
        {
            await using var cancels = await EvaluationCancels.SubscribeAsync(redis, id =>
            {
                if (_running.TryGetValue(id, out var running))
                {
                    running.Cancel.Cancel();
                }
            });
            await ResumeAsync(stoppingToken);
            await _slots.RunAsync(queue.TakeAsync(stoppingToken),
                (claimed, itemToken) => queue.WorkAsync(claimed, (id, _, stopping) => RunOneAsync(id, stopping), itemToken, stoppingToken),
                (claimed, ex) => logger.LogError(ex, "Evaluation {EvaluationId} stopped unexpectedly", claimed.Key), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: running evaluations stay running and resume at the next start.
        }
        finally
        {
            _loopAlive = false;
        }
    }

    private async Task EnqueueAsync(string id, CancellationToken cancellationToken)
    {
        await queue.EnqueueAsync(id, cancellationToken);
        await _line.PublishAsync(cancellationToken);
    }

    /// <summary>Takes up the evaluations a stopped api left unfinished, oldest first; one that cannot go on fails now, once.</summary>
    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        foreach (var unfinished in (await evaluations.ListAsync(limit: 1000)).Where(e => e.Step.Status is StepStatus.Queued or StepStatus.Running).Reverse())
        {
            if (CannotGoOn(unfinished) is { } reason)
            {
                logger.LogWarning("Evaluation {EvaluationId} is not resumed: {Reason}", unfinished.Id, reason);
                await evaluations.UpdateAsync(unfinished.Id, e => e with { Step = e.Step with { Status = StepStatus.Failed, Message = $"Not resumed: {reason}", FinishedAt = time.GetUtcNow() } });
                continue;
            }

            logger.LogInformation("Resuming evaluation {EvaluationId}", unfinished.Id);
            await EnqueueAsync(unfinished.Id, cancellationToken);
        }
    }

    /// <summary>Why an unfinished evaluation cannot be taken up again, or null when it can.</summary>
    private string? CannotGoOn(EvaluationView evaluation) =>
        evaluation.Models.Count == 0 ? "it has no models to evaluate."
        : Problem(evaluation.Settings with { Models = evaluation.Models }) is { } problem ? problem
        : evaluation.Step.StartedAt is { } started && time.GetUtcNow() - started >= options.Value.TimeLimit ? TimeLimitMessage
        : null;

    private string TimeLimitMessage => $"It ran past its time limit of {options.Value.TimeLimit} (Evaluation:TimeLimit).";

    private async Task RunOneAsync(string id, CancellationToken stoppingToken)
    {
        var running = new RunningEvaluation();
        var evaluation = await _line.ClaimAsync(id, () => _running.TryAdd(id, running), stoppingToken);
        if (evaluation is null)
        {
            return;
        }

        try
        {
            // A cancel asked of another replica before this one registered the evaluation.
            if (await EvaluationCancels.IsRequestedAsync(redis, id))
            {
                await running.Cancel.CancelAsync();
            }

            await _line.PublishAsync(stoppingToken);
            await RunAsync(evaluation, running.Cancel.Token, stoppingToken);
        }
        finally
        {
            _running.TryRemove(id, out _);
            running.Ended.TrySetResult();
        }
    }

    private async Task RunAsync(EvaluationView evaluation, CancellationToken cancelled, CancellationToken stoppingToken)
    {
        var id = evaluation.Id;
        using var activity = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate");
        activity?.SetTag(PipelineTelemetry.RunIdTag, evaluation.RunId);
        activity?.SetTag("vqa.evaluation_id", id);
        var started = evaluation.Step.StartedAt ?? time.GetUtcNow();
        var traceId = activity?.TraceId.ToString();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancelled, stoppingToken);
        limit.CancelAfter(TimeSpan.FromTicks(Math.Max(1, (options.Value.TimeLimit - (time.GetUtcNow() - started)).Ticks)));
        await evaluations.UpdateAsync(id, e => e with { Step = new RunStep(StepStatus.Running, e.Step.Progress, "Starting", started, null, traceId) });
        EvaluationProgress latest = default;

        RunStep final;
        EvaluationSummary? summary = null;
        try
        {
            EvaluationOutcome outcome;
            await using (var reporter = new EvaluationProgressReporter(evaluations, id, started, traceId, () => latest))
            {
                // The reporter stops on every way out, before the final status is written.
                outcome = await runner.RunAsync(evaluation, new SynchronousProgress(p => latest = p), limit.Token);
            }

            // Cost per point needs the run's fine-tune (its training cost), which the worker knows and the scorer does not.
            summary = outcome.Summary with { CostPerPoint = CostPerPointReading.Of(outcome.Summary, (await runs.GetAsync(evaluation.RunId))?.FineTune) };
            final = EvaluationCompletion.Step(id, summary, outcome.CommonError, started, time.GetUtcNow(), traceId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            logger.LogInformation("Evaluation {EvaluationId} cancelled", id);
            final = new RunStep(StepStatus.Cancelled, latest.Total == 0 ? 0 : Math.Round((double)latest.Done / latest.Total, 3),
                $"Cancelled after {latest.Done}/{latest.Total} answers; the answers recorded are kept.", started, time.GetUtcNow(), traceId);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "time limit");
            final = new RunStep(StepStatus.Failed, 0, $"Stopped: {TimeLimitMessage}", started, time.GetUtcNow(), traceId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Evaluation {EvaluationId} failed", id);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            final = new RunStep(StepStatus.Failed, 0, ex is PreparationException ? ex.Message : $"Evaluation failed: {ex.Message}", started, time.GetUtcNow(), traceId);
        }

        await evaluations.UpdateAsync(id, e => e with
        {
            Summary = summary ?? e.Summary,
            // Who actually answered decides once there are answers; until then, where the models are asked.
            Emulated = summary?.Emulated ?? e.Emulated,
            Step = final with { Progress = final.Status == StepStatus.Failed && summary is null ? e.Step.Progress : final.Progress },
        });
    }

    /// <summary>An evaluation under way: how to stop it, and when it has ended.</summary>
    private sealed class RunningEvaluation
    {
        /// <summary>Cancelled by a user's cancel only (never disposed: a cancel may arrive as the evaluation ends).</summary>
        public CancellationTokenSource Cancel { get; } = new();

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Progress that records on the caller's thread, with no hop through a synchronization context.</summary>
    private sealed class SynchronousProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
