using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Writes a running evaluation's progress twice a second until stopped. A write changes the stored step only while it
/// is still running: a status written by anyone else (failed, cancelled, succeeded) is never overwritten.
/// </summary>
public sealed class EvaluationProgressReporter : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public EvaluationProgressReporter(EvaluationStore evaluations, string id, DateTimeOffset started, string? traceId, Func<EvaluationProgress> latest,
        TimeSpan? interval = null)
    {
        _loop = LoopAsync(evaluations, id, started, traceId, latest, interval ?? TimeSpan.FromMilliseconds(500), _stop.Token);
    }

    /// <summary>The step with this progress, or the evaluation unchanged (the same instance) when its step is no longer running.</summary>
    public static EvaluationView WithProgress(EvaluationView evaluation, EvaluationProgress progress, DateTimeOffset started, string? traceId) =>
        evaluation.Step.Status != StepStatus.Running ? evaluation : evaluation with
        {
            Step = new RunStep(StepStatus.Running, progress.Total == 0 ? 0 : Math.Round((double)progress.Done / progress.Total, 3),
                $"{progress.Message}: {progress.Done}/{progress.Total}", started, null, traceId),
        };

    /// <summary>Stops the writes and waits for the one under way, so a final status written next cannot be overwritten.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private static async Task LoopAsync(EvaluationStore evaluations, string id, DateTimeOffset started, string? traceId, Func<EvaluationProgress> latest,
        TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var progress = latest();
                try
                {
                    await evaluations.UpdateAsync(id, e => WithProgress(e, progress, started, traceId));
                }
                catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
                {
                    // Progress is advisory: a missed write is made good by the next tick.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
