using System.Text.Json;
using StackExchange.Redis;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Runs;

/// <summary>
/// Runs and their steps' state in Redis (no time to live: run state is never evicted), with a pub/sub message on
/// every change so live views can follow.
/// </summary>
public sealed class RunStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public const string ChangesChannel = "vqa:runs:changed";
    private const string IndexKey = "vqa:runs";
    private static string Key(string id) => $"vqa:run:{id}";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<RunView> CreateAsync(PrepareRequest settings)
    {
        var now = time.GetUtcNow();
        var run = new RunView($"run_{now:yyyyMMddHHmmss}_{Guid.NewGuid().ToString("N")[..8]}", settings.DatasetId, now, settings,
            new RunStep("queued"), null);
        var db = redis.GetDatabase();
        await db.StringSetAsync(Key(run.Id), JsonSerializer.Serialize(run, Json));
        await db.SortedSetAddAsync(IndexKey, run.Id, now.ToUnixTimeMilliseconds());
        await PublishAsync(run.Id);
        return run;
    }

    public async Task<RunView?> GetAsync(string id)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(id));
        return value.HasValue ? JsonSerializer.Deserialize<RunView>((string)value!, Json) : null;
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<RunView>> ListAsync(int offset = 0, int limit = 100)
    {
        var db = redis.GetDatabase();
        var ids = await db.SortedSetRangeByRankAsync(IndexKey, offset, offset + limit - 1, Order.Descending);
        var values = await db.StringGetAsync([.. ids.Select(id => (RedisKey)Key(id!))]);
        return [.. values.Where(v => v.HasValue).Select(v => JsonSerializer.Deserialize<RunView>((string)v!, Json)!)];
    }

    /// <summary>Applies a change to a run. Each run's steps are written by one worker at a time, so last write wins is safe.</summary>
    public async Task<RunView> UpdateAsync(string id, Func<RunView, RunView> change)
    {
        var current = await GetAsync(id) ?? throw new InvalidOperationException($"Run {id} does not exist.");
        var updated = change(current);
        await redis.GetDatabase().StringSetAsync(Key(id), JsonSerializer.Serialize(updated, Json));
        await PublishAsync(id);
        return updated;
    }

    private Task PublishAsync(string id) =>
        redis.GetSubscriber().PublishAsync(RedisChannel.Literal(ChangesChannel), id);
}
