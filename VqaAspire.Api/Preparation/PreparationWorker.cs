using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workers;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Preparation;

/// <summary>
/// Prepares queued runs a few at a time (<see cref="WorkerOptions.Preparations"/>; each uses every core), each within
/// its time limit, so one that hangs never holds up the others. After a restart, runs left queued or running are taken
/// up again; their images come back from the cache, so little is redone. The queue is shared by the replicas: a run
/// whose replica died is taken over by another (<see cref="WorkerOptions.ClaimAfter"/>), which prepares it again from
/// the start, its JSONL rewritten whole, each example once.
/// </summary>
public sealed class PreparationWorker(
    PreparationQueue queue,
    RunStore runs,
    IDatasetSourceResolver datasets,
    DatasetPreparer preparer,
    TimeProvider time,
    IOptions<WorkerOptions> limits,
    ILogger<PreparationWorker> logger) : BackgroundService, IWorkerState
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    private readonly WorkSlots _slots = new(limits.Value.Preparations, limits.Value.PreparationTimeLimit);
    private readonly ConcurrentDictionary<string, byte> _preparing = new();
    private volatile bool _loopAlive;

    public string Name => "preparation worker";

    public bool IsRunning => _loopAlive;

    public string? Current => _preparing.IsEmpty ? null : $"Preparing {string.Join(", ", _preparing.Keys.Order())}";

    public Task<int> WaitingAsync() => queue.DepthAsync();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _loopAlive = true;
        try
        {
            await ResumeUnfinishedAsync(stoppingToken);
            await _slots.RunAsync(queue.TakeAsync(stoppingToken), (claimed, itemToken) => queue.WorkAsync(claimed, async (runId, token, stopping) =>
            {
                // A run queued twice (resumed and asked again) is prepared once at a time.
                if (!_preparing.TryAdd(runId, 0))
                {
                    return;
                }

                try
                {
                    await PrepareAsync(runId, token, stopping);
                }
                finally
                {
                    _preparing.TryRemove(runId, out _);
                }
            }, itemToken, stoppingToken), (claimed, ex) => logger.LogError(ex, "Preparation of run {RunId} stopped unexpectedly", claimed.Key), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the run stays "running"; it goes back in the shared queue for another replica.
        }
        finally
        {
            _loopAlive = false;
        }
    }

    private async Task ResumeUnfinishedAsync(CancellationToken cancellationToken)
    {
        foreach (var run in (await runs.ListAsync(0, 1000)).Reverse())
        {
            if (run.Prepare.Status is StepStatus.Queued or StepStatus.Running)
            {
                logger.LogInformation("Resuming preparation of run {RunId}", run.Id);
                // Queued once however many replicas resume it (a run already queued or under way is left as it is).
                await queue.EnqueueAsync(run.Id, cancellationToken);
            }
        }
    }

    private async Task PrepareAsync(string runId, CancellationToken cancellationToken, CancellationToken stoppingToken)
    {
        var run = await runs.GetAsync(runId);
        if (run is null || run.Prepare.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Cancelled)
        {
            return;
        }

        using var activity = PipelineTelemetry.ActivitySource.StartActivity("vqa.prepare", ActivityKind.Internal);
        activity?.SetTag(PipelineTelemetry.RunIdTag, runId);
        activity?.SetTag("vqa.dataset_id", run.DatasetId);
        var started = time.GetUtcNow();
        await runs.UpdateAsync(runId, r => r with { Prepare = new RunStep(StepStatus.Running, 0, "Starting", started, null, activity?.TraceId.ToString()) });

        try
        {
            var source = await datasets.OpenAsync(run.DatasetId, cancellationToken)
                ?? throw new PreparationException($"Dataset '{run.DatasetId}' does not exist.");
            var progress = new ThrottledProgress(runs, runId, started, activity?.TraceId.ToString(), time);
            var outcome = await preparer.PrepareAsync(runId, run.Settings, source, progress, cancellationToken);
            await progress.FlushAsync();
            var message = $"{outcome.Splits.Sum(s => s.Examples)} examples written; {outcome.SkippedCount} skipped.";
            await runs.UpdateAsync(runId, r => r with
            {
                Prepare = new RunStep(StepStatus.Succeeded, 1, message, started, time.GetUtcNow(), activity?.TraceId.ToString()),
                Preparation = outcome,
            });
            activity?.SetTag("vqa.examples", outcome.Splits.Sum(s => s.Examples));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (WorkSlots.TimedOut(cancellationToken, stoppingToken))
        {
            logger.LogError("Preparation of run {RunId} ran past its time limit", runId);
            activity?.SetStatus(ActivityStatusCode.Error, "time limit");
            var reason = $"Stopped: it ran past its time limit of {limits.Value.PreparationTimeLimit} (Workers:PreparationTimeLimit).";
            await runs.UpdateAsync(runId, r => r with { Prepare = r.Prepare with { Status = StepStatus.Failed, Message = reason, FinishedAt = time.GetUtcNow() } });
        }
        catch (Exception ex)
        {
            // A failed preparation fails its run, never the api.
            logger.LogError(ex, "Preparation of run {RunId} failed", runId);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var reason = ex is PreparationException or Workspace.WorkspacePathException ? ex.Message : $"Preparation failed: {ex.Message}";
            await runs.UpdateAsync(runId, r => r with { Prepare = r.Prepare with { Status = StepStatus.Failed, Message = reason, FinishedAt = time.GetUtcNow() } });
        }
    }

    /// <summary>Writes progress to the run at most twice a second.</summary>
    private sealed class ThrottledProgress(RunStore runs, string runId, DateTimeOffset started, string? traceId, TimeProvider time) : IProgress<PreparationProgress>
    {
        private long _lastWrite;
        private PreparationProgress _latest;
        private Task _pending = Task.CompletedTask;

        public void Report(PreparationProgress value)
        {
            _latest = value;
            var now = time.GetTimestamp();
            if (_pending.IsCompleted && time.GetElapsedTime(Interlocked.Read(ref _lastWrite), now) >= ProgressInterval)
            {
                Interlocked.Exchange(ref _lastWrite, now);
                _pending = WriteAsync(value);
            }
        }

        public async Task FlushAsync()
        {
            await _pending;
            await WriteAsync(_latest);
        }

        private Task WriteAsync(PreparationProgress value) =>
            // Never over a status written since (failed, cancelled): progress only moves a running step.
            runs.UpdateAsync(runId, r => r.Prepare.Status != StepStatus.Running ? r : r with
            {
                Prepare = new RunStep(StepStatus.Running, value.ImagesTotal == 0 ? 0 : Math.Round((double)value.ImagesDone / value.ImagesTotal, 3),
                    $"{value.Message}: {value.ImagesDone}/{value.ImagesTotal} images", started, null, traceId),
            });
    }
}
