using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.FineTuning;

/// <summary>
/// Follows every run whose fine-tune is under way, from the list kept in Redis, so following resumes after a
/// restart. Each run advances one step at a time, within <see cref="WorkerOptions.FineTuneStepTimeLimit"/>; a slow or
/// hanging upload for one run does not hold up the others.
/// </summary>
public sealed class FineTuneMonitor(FineTuneStore store, FineTuneService fineTunes, IOptions<FineTuneMonitorOptions> options, IOptions<WorkerOptions> limits,
    ILogger<FineTuneMonitor> logger)
    : BackgroundService, IWorkerState
{
    /// <summary>The runs being advanced now: one advance per run at a time.</summary>
    private readonly ConcurrentDictionary<string, byte> _inFlight = new();
    private DateTimeOffset _lastLoop = DateTimeOffset.MinValue;
    private volatile int _followed;

    public string Name => "fine-tune monitor";

    /// <summary>Whether it polled recently: a poll that hangs counts as stopped.</summary>
    public bool IsRunning => DateTimeOffset.UtcNow - _lastLoop < options.Value.PollInterval * 6 + TimeSpan.FromSeconds(30);

    public string? Current => _inFlight.IsEmpty ? null : $"Advancing {_inFlight.Count} fine-tune(s)";

    /// <summary>Followed runs (its queue is the followed set in Redis), counted at the last poll.</summary>
    public int Waiting => _followed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            _lastLoop = DateTimeOffset.UtcNow;
            try
            {
                var followed = await store.FollowedRunsAsync();
                _followed = followed.Count;
                foreach (var runId in followed)
                {
                    // Claimed before the advance starts, so an advance that ends at once cannot leave its claim behind.
                    if (_inFlight.TryAdd(runId, 0))
                    {
                        _ = AdvanceAsync(runId, stoppingToken);
                    }
                }
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not read the followed runs; trying again at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task AdvanceAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(limits.Value.FineTuneStepTimeLimit);
            await fineTunes.AdvanceAsync(runId, limit.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            // Its time limit: the claim is let go, so the next tick tries again; the other runs were never held up.
            logger.LogWarning("Following the fine-tune of run {RunId} took longer than {Limit}; trying again at the next tick", runId, limits.Value.FineTuneStepTimeLimit);
        }
        catch (Exception ex)
        {
            // Whatever goes wrong with one run stays with that run.
            logger.LogError(ex, "Following the fine-tune of run {RunId} failed; trying again at the next tick", runId);
        }
        finally
        {
            _inFlight.TryRemove(runId, out _);
        }
    }
}
