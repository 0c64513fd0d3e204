using StackExchange.Redis;
using StackExchange.Redis.Profiling;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Storage;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Storage;

/// <summary>
/// Runs, evaluations and datasets are saved together with the indexes the lists read. Written in two steps, an api killed
/// between them left an item saved but never listed; so every write of a save must go out in one MULTI/EXEC.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class IndexedSaveTests(GarnetFixture cache) : IClassFixture<GarnetFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MessageTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ARunIsCreatedWithItsIndexEntryAndItsChangeMessageInOneTransaction()
    {
        var store = new RunStore(cache.Redis, TimeProvider.System);
        var announced = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var subscription = await RunChanges.SubscribeAsync(cache.Redis, announced.Enqueue);
        RunView? run = null;

        var commands = await ProfileAsync(async () => run = await store.CreateAsync(new PrepareRequest($"ds-{Guid.NewGuid():N}")));

        AssertOneTransaction(commands);
        Assert.Equal(run!.DatasetId, Assert.Single(await store.ListAsync(), r => r.Id == run.Id).DatasetId);
        // Live views learn of the new run from the same transaction.
        var deadline = DateTime.UtcNow + MessageTimeout;
        while (!announced.Contains(run.Id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(run.Id, announced);
        await subscription.UnsubscribeAsync();
    }

    [Fact]
    public async Task AnEvaluationIsSavedWithBothItsIndexesInOneTransaction()
    {
        var store = new EvaluationStore(cache.Redis);
        var runId = $"run-{Guid.NewGuid():N}";
        var evaluation = new EvaluationView($"eval-{Guid.NewGuid():N}", runId, At, new EvaluationRequest(),
            [new EvaluationModel("base", "gpt-4o")], new RunStep(StepStatus.Queued), Emulated: true, Summary: null);

        var commands = await ProfileAsync(() => store.SaveAsync(evaluation));

        AssertOneTransaction(commands);
        Assert.Equal(evaluation.Id, Assert.Single(await store.ListAsync(runId)).Id);
        Assert.Contains(await store.ListAsync(), e => e.Id == evaluation.Id);
    }

    [Fact]
    public async Task ADatasetIsCreatedWithItsIndexEntryInOneTransactionAndNeverOverwritten()
    {
        var registry = new DatasetRegistry(cache.Redis);
        var id = $"ds-{Guid.NewGuid():N}";

        var commands = await ProfileAsync(async () => Assert.True(await registry.TryCreateAsync(Entry(id, "First"))));
        var second = await registry.TryCreateAsync(Entry(id, "Second"));

        AssertOneTransaction(commands);
        Assert.False(second);
        Assert.Equal("First", (await registry.GetAsync(id))!.Summary.Name);
        Assert.Single(await registry.ListAsync(), e => e.Summary.Id == id);
    }

    [Fact]
    public async Task ADatasetSavedAgainKeepsOneIndexEntryAndItsNewSummary()
    {
        var registry = new DatasetRegistry(cache.Redis);
        var id = $"ds-{Guid.NewGuid():N}";
        await registry.TryCreateAsync(Entry(id, "Importing"));

        var commands = await ProfileAsync(() => registry.SaveAsync(Entry(id, "Ready")));

        AssertOneTransaction(commands);
        Assert.Equal("Ready", Assert.Single(await registry.ListAsync(), e => e.Summary.Id == id).Summary.Name);
    }

    private static DatasetEntry Entry(string id, string name) =>
        new(new DatasetSummary(id, name, DatasetSourceKinds.Sample, $"datasets/{id}", ColumnPresets.OcrVqa, DatasetStatuses.Ready,
            1, null, null, At, At, [], 0, []), null);

    /// <summary>The commands <paramref name="action"/> sends, in order, from StackExchange.Redis's profiler.</summary>
    private async Task<IReadOnlyList<string>> ProfileAsync(Func<Task> action)
    {
        var session = new ProfilingSession();
        var multiplexer = (ConnectionMultiplexer)cache.Redis;
        multiplexer.RegisterProfiler(() => session);
        try
        {
            await action();
        }
        finally
        {
            multiplexer.RegisterProfiler(() => null);
        }

        return [.. session.FinishProfiling().OrderBy(c => c.CommandCreated).Select(c => c.Command)];
    }

    /// <summary>The profiler shows a transaction as its EXEC; a write sent on its own shows as SET, ZADD or SADD.</summary>
    private static void AssertOneTransaction(IReadOnlyList<string> commands) =>
        Assert.Equal(["EXEC"], commands.Where(c => c != "PUBLISH"));
}
