using StackExchange.Redis;

namespace VqaAspire.Api.Workers;

/// <summary>
/// A claim on one piece of work, held in Redis as a key naming its holder with an expiry. The holder renews it while
/// it works (<see cref="RenewAsync"/>); a holder that dies stops renewing, the key expires after
/// <see cref="WorkerOptions.ClaimAfter"/>, and another replica may take the work. Renewal and release only touch the
/// key while it still names this holder (a WATCH/MULTI transaction), so a late replica never frees another's claim.
/// </summary>
public sealed class WorkLease(IDatabase database, RedisKey key, string holder, TimeSpan expiry)
{
    private readonly CancellationTokenSource _lost = new();

    public RedisKey Key => key;

    /// <summary>Cancelled once the lease is found held by someone else (it expired while this holder stalled).</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes the lease when no one holds it; null when someone does.</summary>
    public static async Task<WorkLease?> TryAcquireAsync(IDatabase database, RedisKey key, string holder, TimeSpan expiry) =>
        await database.StringSetAsync(key, holder, expiry, When.NotExists) ? new WorkLease(database, key, holder, expiry) : null;

    /// <summary>Pushes the expiry back; false (and <see cref="Lost"/> cancelled) when the lease is no longer this holder's.</summary>
    public async Task<bool> RenewAsync()
    {
        var renew = database.CreateTransaction();
        renew.AddCondition(Condition.StringEqual(key, holder));
        _ = renew.KeyExpireAsync(key, expiry);
        if (await renew.ExecuteAsync())
        {
            return true;
        }

        await _lost.CancelAsync();
        return false;
    }

    /// <summary>Lets the lease go, if it is still this holder's.</summary>
    public async Task ReleaseAsync()
    {
        var release = database.CreateTransaction();
        release.AddCondition(Condition.StringEqual(key, holder));
        _ = release.KeyDeleteAsync(key);
        await release.ExecuteAsync();
    }

    /// <summary>Renews the lease every third of its expiry until <paramref name="stop"/> or until it is lost.</summary>
    public async Task KeepAsync(TimeProvider time, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(expiry / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    if (!await RenewAsync())
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // A missed renewal is tried again at the next tick; the lease outlives two of them.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
