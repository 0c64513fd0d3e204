using StackExchange.Redis;
using VqaAspire.Api.Storage;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Runs;

/// <summary>
/// Runs and their steps' state in Redis under <c>vqa:run:{id}</c>, listed newest first in <c>vqa:runs</c>; every save
/// announces the run on <see cref="RunChanges"/> so live views can follow.
/// </summary>
public sealed class RunStore(IConnectionMultiplexer redis, TimeProvider time)
{
    private const string IndexKey = "vqa:runs";

    private readonly RedisJsonStore<RunView> _store = new(redis, id => $"vqa:run:{id}", run => run.Id,
        [new StoreIndex<RunView>(_ => IndexKey, run => run.CreatedAt.ToUnixTimeMilliseconds())], changedRun: run => run.Id);

    public async Task<RunView> CreateAsync(PrepareRequest settings)
    {
        var now = time.GetUtcNow();
        var run = new RunView($"run_{now:yyyyMMddHHmmss}_{Guid.NewGuid().ToString("N")[..8]}", settings.DatasetId, now, settings,
            new RunStep(StepStatus.Queued), null);
        await _store.SaveAsync(run);
        return run;
    }

    public Task<RunView?> GetAsync(string id) => _store.GetAsync(id);

    /// <summary>Newest first.</summary>
    public Task<IReadOnlyList<RunView>> ListAsync(int offset = 0, int limit = 100) => _store.ListNewestFirstAsync(IndexKey, offset, limit);

    /// <summary>Applies a change to a run. Each run's steps are written by one worker at a time, so last write wins is safe.</summary>
    public async Task<RunView> UpdateAsync(string id, Func<RunView, RunView> change) =>
        await _store.UpdateAsync(id, change) ?? throw new InvalidOperationException($"Run {id} does not exist.");
}
