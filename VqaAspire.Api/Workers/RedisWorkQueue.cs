using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VqaAspire.Api.Workers;

/// <summary>
/// A work queue shared by every api replica through Redis: any replica queues, any replica takes, each item is worked
/// on by one replica at a time, and the work of a replica that died is taken over by another after
/// <see cref="WorkerOptions.ClaimAfter"/>.
/// <para>
/// Why not Redis Streams (XREADGROUP, XACK, XAUTOCLAIM): the local cache is Garnet 2.2.8, which has no stream
/// commands at all (its command table lists no X* stream command; a probe of XADD answers "unknown command"). So the
/// same semantics are built from commands both Garnet and Redis have:
/// <list type="bullet">
/// <item>items: a hash key → payload. Queueing an item already queued or under way does nothing (no hash entry is the
/// condition of the one transaction that writes it and its place in line), so a run resumed by two starting replicas
/// is queued once.</item>
/// <item>waiting: a list of keys, oldest at the right. A replica takes one with LMOVE into the active list (atomic: two
/// replicas never take the same entry), then its lease (<see cref="WorkLease"/>: SET NX PX, renewed every third of
/// ClaimAfter while it works).</item>
/// <item>acknowledgement: the item leaves the hash and the active list, the lease is let go.</item>
/// <item>claim of a dead replica's work: a reaper on every replica looks over the active list; an entry whose lease
/// expired (seen so twice, half a ClaimAfter apart, so an entry between its LMOVE and its lease is left alone) goes
/// back to the front of the waiting list, and the next free replica takes it and resumes it from what is on disk and
/// in Redis.</item>
/// </list>
/// </para>
/// The limits of each replica (slots) stay with its worker: a replica takes an item only when it has a free slot.
/// </summary>
public abstract class RedisWorkQueue<T>
{
    private readonly IConnectionMultiplexer _redis;
    private readonly int _capacity;
    private readonly WorkerOptions _options;
    private readonly WorkerIdentity _identity;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, WorkLease> _held = new();
    private HashSet<string> _suspects = [];
    private int _lastDepth;

    protected RedisWorkQueue(IConnectionMultiplexer redis, string name, int capacity, IOptions<WorkerOptions> options, WorkerIdentity identity, ILogger logger)
    {
        _redis = redis;
        _capacity = capacity;
        _options = options.Value;
        _identity = identity;
        _logger = logger;
        Name = name;
        _prefix = $"vqa:work:{name}:";
    }

    public string Name { get; }

    /// <summary>
    /// Items waiting, not counting those being worked on (read from Redis: every replica's queue is this one); the
    /// last depth read while the cache does not answer, so a health check says what it knew rather than throw.
    /// </summary>
    public async Task<int> DepthAsync()
    {
        try
        {
            _lastDepth = (int)await Database.ListLengthAsync(WaitingKey);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogDebug(ex, "Could not read the depth of the {Queue} queue", Name);
        }

        return _lastDepth;
    }

    private IDatabase Database => _redis.GetDatabase();

    private RedisKey WaitingKey => _prefix + "waiting";

    private RedisKey ActiveKey => _prefix + "active";

    private RedisKey ItemsKey => _prefix + "items";

    /// <summary>The key of the lease on an item: its value is the consumer (replica) working on it.</summary>
    public RedisKey LeaseKey(string key) => _prefix + "lease:" + key;

    /// <summary>The consumer working on an item now, or null when no one is.</summary>
    public async Task<string?> HolderAsync(string key) => await Database.StringGetAsync(LeaseKey(key));

    /// <summary>Queues an item, waiting while the queue is full.</summary>
    public async Task EnqueueAsync(T item, CancellationToken cancellationToken)
    {
        while (await Database.ListLengthAsync(WaitingKey) >= _capacity)
        {
            await Task.Delay(_options.PollInterval, cancellationToken);
        }

        await AddAsync(item);
    }

    /// <summary>Queues an item; false when the queue is full.</summary>
    public async Task<bool> TryEnqueueAsync(T item)
    {
        if (await Database.ListLengthAsync(WaitingKey) >= _capacity)
        {
            return false;
        }

        await AddAsync(item);
        return true;
    }

    /// <summary>The keys waiting, next first.</summary>
    public async Task<IReadOnlyList<string>> WaitingAsync() =>
        [.. (await Database.ListRangeAsync(WaitingKey)).Reverse().Select(k => k.ToString())];

    /// <summary>Takes a waiting item out of the queue; false when it was not waiting (taken, finished or unknown).</summary>
    public async Task<bool> RemoveWaitingAsync(string key)
    {
        if (await Database.ListRemoveAsync(WaitingKey, key) == 0)
        {
            return false;
        }

        await Database.HashDeleteAsync(ItemsKey, key);
        return true;
    }

    /// <summary>
    /// Items as this replica takes them, each under its lease, until <paramref name="cancellationToken"/>. The caller
    /// pulls the next one only when it has a free slot; meanwhile the leases it holds are renewed and dead
    /// replicas' items are put back in line.
    /// </summary>
    public async IAsyncEnumerable<ClaimedWork<T>> TakeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var background = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var upkeep = UpkeepAsync(background.Token);
        try
        {
            while (true)
            {
                ClaimedWork<T>? claimed = null;
                try
                {
                    claimed = await TryTakeAsync();
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    _logger.LogWarning(ex, "Could not take from the {Queue} queue; trying again", Name);
                }

                if (claimed is not null)
                {
                    yield return claimed;
                    continue;
                }

                await Task.Delay(_options.PollInterval, cancellationToken);
            }
        }
        finally
        {
            await background.CancelAsync();
            await upkeep;
        }
    }

    /// <summary>
    /// Works on a claimed item: <paramref name="work"/> gets the item, a token for the item (its time limit) and a
    /// token for "stop, another replica carries on" (shutdown, or the lease lost). Done or failed, the item is
    /// acknowledged; stopped by shutdown, it goes back to the front of the line for another replica at once.
    /// </summary>
    public async Task WorkAsync(ClaimedWork<T> claimed, Func<T, CancellationToken, CancellationToken, Task> work, CancellationToken itemToken, CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, claimed.Lease.Lost);
        using var item = CancellationTokenSource.CreateLinkedTokenSource(itemToken, claimed.Lease.Lost);
        try
        {
            await work(claimed.Item, item.Token, stopping.Token);
        }
        catch (OperationCanceledException) when (claimed.Lease.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            _logger.LogWarning("{Consumer} lost its lease on {Queue} item {Key}: another replica carries it on", _identity.Consumer, Name, claimed.Key);
        }
        finally
        {
            _held.TryRemove(claimed.Key, out _);
            if (!claimed.Lease.Lost.IsCancellationRequested)
            {
                await (stoppingToken.IsCancellationRequested ? PutBackAsync(claimed) : AcknowledgeAsync(claimed));
            }
        }
    }

    protected abstract string KeyOf(T item);

    protected virtual string Serialize(T item) => JsonSerializer.Serialize(item, JsonSerializerOptions.Web);

    protected virtual T Deserialize(string payload) => JsonSerializer.Deserialize<T>(payload, JsonSerializerOptions.Web)!;

    private async Task AddAsync(T item)
    {
        // One transaction (MULTI/EXEC, as RedisJsonStore saves): with the payload and the place in line written apart,
        // a process killed between them left the item in the hash and in no list, and every later enqueue refused it.
        var key = KeyOf(item);
        var payload = Serialize(item);
        while (true)
        {
            var add = Database.CreateTransaction();
            add.AddCondition(Condition.HashNotExists(ItemsKey, key));
            _ = add.HashSetAsync(ItemsKey, key, payload);
            _ = add.ListLeftPushAsync(WaitingKey, key);
            if (await add.ExecuteAsync() || await Database.HashExistsAsync(ItemsKey, key))
            {
                return;
            }

            // Not added and not there: the condition WATCHes the whole items hash, so another item's add or
            // acknowledgement in between aborted the transaction. Try again; dropping it would leave a run queued forever.
        }
    }

    private async Task<ClaimedWork<T>?> TryTakeAsync()
    {
        while (true)
        {
            var next = await Database.ListMoveAsync(WaitingKey, ActiveKey, ListSide.Right, ListSide.Left);
            if (next.IsNull)
            {
                return null;
            }

            string key = next!;
            var lease = await WorkLease.TryAcquireAsync(Database, LeaseKey(key), _identity.Consumer, _options.ClaimAfter);
            var payload = lease is null ? RedisValue.Null : await Database.HashGetAsync(ItemsKey, key);
            if (lease is null || payload.IsNull)
            {
                // Someone works on it already, or it was cancelled meanwhile: this entry is a leftover.
                await Database.ListRemoveAsync(ActiveKey, key, 1);
                if (lease is not null)
                {
                    await lease.ReleaseAsync();
                }

                continue;
            }

            _held[key] = lease;
            _logger.LogInformation("{Consumer} took {Queue} item {Key}", _identity.Consumer, Name, key);
            return new ClaimedWork<T>(key, Deserialize(payload!), lease);
        }
    }

    private async Task AcknowledgeAsync(ClaimedWork<T> claimed)
    {
        try
        {
            await Database.HashDeleteAsync(ItemsKey, claimed.Key);
            await Database.ListRemoveAsync(ActiveKey, claimed.Key, 1);
            await claimed.Lease.ReleaseAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Left in the active list, it is put back once its lease expires, and found done by whoever takes it.
            _logger.LogWarning(ex, "Could not acknowledge {Queue} item {Key}", Name, claimed.Key);
        }
    }

    private async Task PutBackAsync(ClaimedWork<T> claimed)
    {
        try
        {
            if (await Database.ListRemoveAsync(ActiveKey, claimed.Key, 1) > 0)
            {
                await Database.ListRightPushAsync(WaitingKey, claimed.Key);
            }

            await claimed.Lease.ReleaseAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The reaper of another replica puts it back once the lease expires.
            _logger.LogWarning(ex, "Could not put {Queue} item {Key} back in line", Name, claimed.Key);
        }
    }

    /// <summary>Renews this replica's leases every third of ClaimAfter and reaps expired ones every half.</summary>
    private async Task UpkeepAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var renewEvery = _options.ClaimAfter / 3;
        var reapEvery = _options.ClaimAfter / 2;
        var lastReap = DateTimeOffset.UtcNow;
        try
        {
            // At once on start: the work of this machine's replicas that died is put back without waiting.
            await ReapAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not reap leases of the {Queue} queue at start", Name);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(renewEvery, cancellationToken);
                foreach (var (key, lease) in _held)
                {
                    if (!await lease.RenewAsync())
                    {
                        _held.TryRemove(key, out _);
                    }
                }

                if (DateTimeOffset.UtcNow - lastReap >= reapEvery)
                {
                    lastReap = DateTimeOffset.UtcNow;
                    await ReapAsync();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _logger.LogWarning(ex, "Could not renew or reap leases of the {Queue} queue; trying again", Name);
            }
        }
    }

    /// <summary>Puts back in line the active items no live replica holds a lease on.</summary>
    private async Task ReapAsync()
    {
        var unleased = new HashSet<string>();
        var deadHolders = new HashSet<string>();
        foreach (var entry in await Database.ListRangeAsync(ActiveKey))
        {
            string key = entry!;
            var holder = await Database.StringGetAsync(LeaseKey(key));
            if (holder.IsNullOrEmpty)
            {
                unleased.Add(key);
            }
            else if (_identity.IsDeadNeighbour(holder!) && await DeleteLeaseAsync(key, holder!) && unleased.Add(key))
            {
                // A replica on this machine whose process is gone (killed, restarted): its lease would only run out,
                // so its work is put back now rather than after ClaimAfter.
                deadHolders.Add(key);
            }
        }

        foreach (var key in unleased.Where(k => _suspects.Contains(k) || deadHolders.Contains(k)))
        {
            // Only the replica whose LREM removed the entry puts it back, so it is put back once.
            if (await Database.ListRemoveAsync(ActiveKey, key, 1) > 0)
            {
                await Database.ListRightPushAsync(WaitingKey, key);
                _logger.LogWarning("{Consumer} put {Queue} item {Key} back in line: the replica working on it stopped renewing its lease", _identity.Consumer, Name, key);
            }
        }

        _suspects = unleased;
    }

    /// <summary>Deletes an item's lease if <paramref name="holder"/> still holds it (one replica of those reaping at once wins).</summary>
    private async Task<bool> DeleteLeaseAsync(string key, string holder)
    {
        var delete = Database.CreateTransaction();
        delete.AddCondition(Condition.StringEqual(LeaseKey(key), holder));
        _ = delete.KeyDeleteAsync(LeaseKey(key));
        return await delete.ExecuteAsync();
    }
}
