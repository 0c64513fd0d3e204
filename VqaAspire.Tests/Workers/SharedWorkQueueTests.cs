using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Workers;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Workers;

/// <summary>
/// The work queue shared by the api replicas, on a real Garnet (the local cache): an item queued twice is worked on
/// once, a replica's live lease is never taken from it however long the work lasts, and the work of a replica that
/// died is taken over by another once its lease expired. Each "replica" is a queue with its own consumer name.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SharedWorkQueueTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    // Leases are renewed every third of ClaimAfter: 3 s leaves a busy machine a full second per renewal.
    private static readonly WorkerOptions Options = new() { ClaimAfter = TimeSpan.FromSeconds(3), PollInterval = TimeSpan.FromMilliseconds(50) };

    // How long a replica may take to get to work it is due on a machine as busy as a loaded CI runner.
    private static readonly TimeSpan TakeTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task GarnetHasNoStreamCommandsSoTheQueueIsBuiltFromListsAndLeases()
    {
        // Why the queue does not use XREADGROUP/XAUTOCLAIM: the local cache answers no stream command. When this
        // fails, Garnet gained streams and the queue could move to them.
        var error = await Assert.ThrowsAsync<RedisServerException>(() => garnet.Redis.GetDatabase().StreamAddAsync("probe:stream", "field", "value"));
        Assert.Contains("unknown command", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnItemQueuedTwiceIsWorkedOnOnceByOneOfTwoReplicas()
    {
        await garnet.FlushAsync();
        var (a, b) = (Replica("a"), Replica("b"));
        await a.EnqueueAsync("run_1", CancellationToken.None);
        await b.EnqueueAsync("run_1", CancellationToken.None);
        Assert.Equal(1, await a.DepthAsync());

        var worked = new System.Collections.Concurrent.ConcurrentBag<string>();
        // Once worked, the item is gone from the queue (depth 0 below), so no later take could work it again.
        using var stop = new CancellationTokenSource(TakeTimeout);
        await Task.WhenAll(RunAsync(a, worked, TimeSpan.Zero, stop.Token, () => !worked.IsEmpty), RunAsync(b, worked, TimeSpan.Zero, stop.Token, () => !worked.IsEmpty));

        Assert.StartsWith("run_1:", Assert.Single(worked));
        Assert.Equal(0, await a.DepthAsync());
        Assert.Null(await a.HolderAsync("run_1"));
    }

    [Fact]
    public async Task ManyItemsQueuedAtOnceByFourReplicasAreAllInLine()
    {
        // Runs started at once on several replicas: each add is a transaction watching the shared items hash, so adds
        // from other connections abort one another, and an aborted add must be tried again, not lost (a run queued forever).
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ConnectionMultiplexer.ConnectAsync(garnet.Redis.Configuration)));
        try
        {
            var replicas = connections.Select((c, i) => new ReplicaQueue(c, $"r{i}", Options)).ToList();
            for (var round = 0; round < 5; round++)
            {
                await garnet.FlushAsync();
                var keys = Enumerable.Range(0, 16).Select(i => $"run_{round}_{i}").ToList();
                var added = await Task.WhenAll(keys.Select((key, i) => Task.Run(() => replicas[i % replicas.Count].TryEnqueueAsync(key))));

                Assert.All(added, Assert.True);
                Assert.Equal(keys.Order(), (await replicas[0].WaitingAsync()).Order());
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AReplicaKilledWhileQueueingLeavesTheItemQueuedWholeOrNotAtAllSoTheNextEnqueueIsWorked()
    {
        await garnet.FlushAsync();
        // The replica sends its first write and dies: nothing it would send after reaches Redis.
        var dying = new ReplicaQueue(DiesAfterItsFirstWrite.Wrap(garnet.Redis), "dying", Options);
        await Assert.ThrowsAsync<RedisConnectionException>(() => dying.EnqueueAsync("run_1", CancellationToken.None));

        // Queued whole or not at all: never a payload with no place in line, which refused every later enqueue for good.
        var db = garnet.Redis.GetDatabase();
        var inHash = await db.HashExistsAsync("vqa:work:test:items", "run_1");
        var inLine = (await db.ListRangeAsync("vqa:work:test:waiting")).Contains("run_1");
        Assert.Equal(inHash, inLine);

        var live = Replica("live");
        await live.EnqueueAsync("run_1", CancellationToken.None);
        var worked = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource(TakeTimeout);
        await RunAsync(live, worked, TimeSpan.Zero, stop.Token, () => !worked.IsEmpty);
        Assert.StartsWith("run_1:", Assert.Single(worked));
    }

    [Fact]
    public async Task ALiveReplicaKeepsItsWorkPastTheClaimTimeoutAndADeadOnesWorkIsTakenOver()
    {
        await garnet.FlushAsync();
        var (live, other) = (Replica("live"), Replica("other"));
        await live.EnqueueAsync("long", CancellationToken.None);
        var worked = new System.Collections.Concurrent.ConcurrentBag<string>();
        using (var stop = new CancellationTokenSource(TakeTimeout + 3 * Options.ClaimAfter))
        {
            // The live replica takes the item first; the work lasts three claim timeouts while the other replica polls
            // all along and never gets it.
            var liveRun = RunAsync(live, worked, 3 * Options.ClaimAfter, stop.Token, () => !worked.IsEmpty);
            await Polling.WaitAsync(() => live.HolderAsync("long"), holder => holder == "live", TakeTimeout, TimeSpan.FromMilliseconds(20));
            await Task.WhenAll(liveRun, RunAsync(other, worked, TimeSpan.Zero, stop.Token, () => !worked.IsEmpty));
        }

        Assert.Equal(["long:live"], worked);

        // A replica that takes an item and dies: its lease is never renewed.
        var dead = Replica("dead");
        await dead.EnqueueAsync("orphan", CancellationToken.None);
        using (var taken = new CancellationTokenSource())
        {
            await using var items = dead.TakeAsync(taken.Token).GetAsyncEnumerator();
            Assert.True(await items.MoveNextAsync());
            Assert.Equal("dead", await dead.HolderAsync("orphan"));
            await taken.CancelAsync();
        }

        // Taken over once the lease expired: about two ClaimAfter, however busy the machine.
        var takenOver = new System.Collections.Concurrent.ConcurrentBag<string>();
        using (var stop = new CancellationTokenSource(TakeTimeout))
        {
            await RunAsync(other, takenOver, TimeSpan.Zero, stop.Token, () => !takenOver.IsEmpty);
        }

        Assert.Equal(["orphan:other"], takenOver);
    }

    [Fact]
    public async Task TheWorkOfAKilledProcessOnThisMachineIsTakenOverAtOnceNotAfterTheClaimTimeout()
    {
        await garnet.FlushAsync();
        // A process of this machine that has ended, as a killed replica has.
        using var ended = System.Diagnostics.Process.Start("true")!;
        await ended.WaitForExitAsync();
        var slow = new WorkerOptions { ClaimAfter = TimeSpan.FromMinutes(5), PollInterval = TimeSpan.FromMilliseconds(50) };
        var killed = Replica($"{Environment.MachineName}:{ended.Id}", slow);
        await killed.EnqueueAsync("preparation", CancellationToken.None);
        using (var taken = new CancellationTokenSource())
        {
            await using var items = killed.TakeAsync(taken.Token).GetAsyncEnumerator();
            Assert.True(await items.MoveNextAsync());
            await taken.CancelAsync();
        }

        // A restarted replica: the lease would hold for five minutes, but its holder is gone.
        var restarted = Replica($"{Environment.MachineName}:{Environment.ProcessId}", slow);
        // Well within the five minutes the lease would hold, on however busy a machine.
        var takenOver = new System.Collections.Concurrent.ConcurrentBag<string>();
        using (var stop = new CancellationTokenSource(TakeTimeout))
        {
            await RunAsync(restarted, takenOver, TimeSpan.Zero, stop.Token, () => !takenOver.IsEmpty);
        }

        Assert.Equal([$"preparation:{Environment.MachineName}:{Environment.ProcessId}"], takenOver);
    }

    [Fact]
    public void OnlyAnEndedProcessOfThisMachineIsADeadHolder()
    {
        var me = new WorkerIdentity();
        using var ended = System.Diagnostics.Process.Start("true")!;
        ended.WaitForExit();

        Assert.True(me.IsDeadNeighbour($"{Environment.MachineName}:{ended.Id}"));
        Assert.False(me.IsDeadNeighbour(me.Consumer));
        Assert.False(me.IsDeadNeighbour($"another-machine:{ended.Id}"));
        Assert.False(me.IsDeadNeighbour("not a holder"));
    }

    private ReplicaQueue Replica(string name, WorkerOptions? options = null) => new(garnet.Redis, name, options ?? Options);

    /// <summary>
    /// Takes and works items until <paramref name="done"/> holds, recording "key:replica" for each worked on; fails when
    /// <paramref name="stop"/> comes first.
    /// </summary>
    private static async Task RunAsync(ReplicaQueue queue, System.Collections.Concurrent.ConcurrentBag<string> worked, TimeSpan workTime, CancellationToken stop, Func<bool> done)
    {
        using var finished = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var watcher = Task.Run(async () =>
        {
            while (!done() && !stop.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None);
            }

            await finished.CancelAsync();
        }, CancellationToken.None);
        try
        {
            await foreach (var claimed in queue.TakeAsync(finished.Token))
            {
                await queue.WorkAsync(claimed, async (item, token, _) =>
                {
                    await Task.Delay(workTime, token);
                    worked.Add($"{item}:{queue.Replica}");
                }, CancellationToken.None, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (finished.IsCancellationRequested)
        {
        }

        await watcher;
        Assert.False(stop.IsCancellationRequested && !done(), $"Replica {queue.Replica} was not done within its time limit.");
    }

    /// <summary>
    /// A replica's connection that dies after its first write: that write reaches Redis, every later command fails as
    /// the killed process never sends it. A transaction counts as one write, sent whole at EXEC or not at all; here the
    /// process dies before it is sent.
    /// </summary>
    private class DiesAfterItsFirstWrite : System.Reflection.DispatchProxy
    {
        private object _inner = null!;
        private Func<bool>? _dead;
        private Action? _die;

        public static IConnectionMultiplexer Wrap(IConnectionMultiplexer redis)
        {
            var dead = false;
            return Proxy<IConnectionMultiplexer>(redis, () => dead, () => dead = true);
        }

        private static T Proxy<T>(object inner, Func<bool> dead, Action die) where T : class
        {
            var proxy = Create<T, DiesAfterItsFirstWrite>();
            var self = (DiesAfterItsFirstWrite)(object)proxy;
            (self._inner, self._dead, self._die) = (inner, dead, die);
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? method, object?[]? args)
        {
            if (_dead!())
            {
                throw new RedisConnectionException(ConnectionFailureType.SocketClosed, "The replica was killed.");
            }

            switch (method!.Name)
            {
                case nameof(IConnectionMultiplexer.GetDatabase):
                    return Proxy<IDatabase>(method.Invoke(_inner, args)!, _dead, _die!);
                case nameof(IDatabase.CreateTransaction):
                    return Proxy<ITransaction>(method.Invoke(_inner, args)!, _dead, _die!);
                case nameof(ITransaction.ExecuteAsync):
                    _die!();
                    throw new RedisConnectionException(ConnectionFailureType.SocketClosed, "The replica was killed before EXEC.");
            }

            var result = method.Invoke(_inner, args);
            if (IsWrite(method.Name) && _inner is not ITransaction)
            {
                _die!();
            }

            return result;
        }

        private static bool IsWrite(string name) =>
            name.Contains("Set", StringComparison.Ordinal) || name.Contains("Push", StringComparison.Ordinal) || name.Contains("Move", StringComparison.Ordinal)
            || name.Contains("Remove", StringComparison.Ordinal) || name.Contains("Delete", StringComparison.Ordinal);
    }

    /// <summary>A queue of ids under a consumer name of its own, as one replica's.</summary>
    private sealed class ReplicaQueue(IConnectionMultiplexer redis, string replica, WorkerOptions options)
        : RedisWorkQueue<string>(redis, "test", 16, Microsoft.Extensions.Options.Options.Create(options), new WorkerIdentity(replica), NullLogger.Instance)
    {
        public string Replica => replica;

        protected override string KeyOf(string item) => item;
    }
}
