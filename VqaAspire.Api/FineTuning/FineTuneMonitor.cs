using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.FineTuning;

/// <summary>
/// Follows every run whose fine-tune is under way, from the list kept in Redis, so following resumes after a
/// restart. Each run advances one step at a time, within <see cref="WorkerOptions.FineTuneStepTimeLimit"/>; a slow or
/// hanging upload for one run does not hold up the others. Every replica follows the same set; a run is advanced by
/// the replica holding its lease (<see cref="WorkLease"/>, renewed while the step lasts), so two replicas never advance
/// the same run at once, and a run followed by a replica that died is advanced by another once its lease expired.
/// </summary>
public sealed class FineTuneMonitor(FineTuneStore store, FineTuneService fineTunes, IOptions<FineTuneMonitorOptions> options, IOptions<WorkerOptions> limits,
    IConnectionMultiplexer redis, WorkerIdentity identity, ILogger<FineTuneMonitor> logger)
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
    public Task<int> WaitingAsync() => Task.FromResult(_followed);

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

    /// <summary>The lease on advancing a run's fine-tune: its value is the replica advancing it.</summary>
    public static string LeaseKey(string runId) => $"vqa:work:fine-tune:lease:{runId}";

    private async Task AdvanceAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            var lease = await WorkLease.TryAcquireAsync(redis.GetDatabase(), LeaseKey(runId), identity.Consumer, limits.Value.ClaimAfter);
            if (lease is null)
            {
                // Another replica advances it now.
                return;
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            limit.CancelAfter(limits.Value.FineTuneStepTimeLimit);
            using var keeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var keep = lease.KeepAsync(TimeProvider.System, keeping.Token);
            try
            {
                await fineTunes.AdvanceAsync(runId, limit.Token);
            }
            finally
            {
                await keeping.CancelAsync();
                await keep;
                await lease.ReleaseAsync();
            }
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
