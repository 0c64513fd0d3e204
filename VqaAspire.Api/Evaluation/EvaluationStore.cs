using System.Text.Json;
using StackExchange.Redis;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>Evaluations' state in Redis (never evicted), newest first per run.</summary>
public sealed class EvaluationStore(IConnectionMultiplexer redis)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static string Key(string id) => $"vqa:eval:{id}";
    private static string RunKey(string runId) => $"vqa:run:{runId}:evals";
    private const string AllKey = "vqa:evals";

    /// <summary>Saves the evaluation and its two indexes in one transaction, so a process killed mid-save leaves none unlisted.</summary>
    public async Task SaveAsync(EvaluationView evaluation)
    {
        var save = redis.GetDatabase().CreateTransaction();
        var createdAt = evaluation.CreatedAt.ToUnixTimeMilliseconds();
        _ = save.StringSetAsync(Key(evaluation.Id), JsonSerializer.Serialize(evaluation, Json));
        _ = save.SortedSetAddAsync(RunKey(evaluation.RunId), evaluation.Id, createdAt);
        _ = save.SortedSetAddAsync(AllKey, evaluation.Id, createdAt);
        await save.ExecuteAsync();
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Runs.RunStore.ChangesChannel), evaluation.RunId);
    }

    public async Task<EvaluationView?> GetAsync(string id) =>
        await redis.GetDatabase().StringGetAsync(Key(id)) is { HasValue: true } v ? JsonSerializer.Deserialize<EvaluationView>(v.ToString(), Json) : null;

    public async Task<EvaluationView> UpdateAsync(string id, Func<EvaluationView, EvaluationView> change)
    {
        var updated = change(await GetAsync(id) ?? throw new InvalidOperationException($"Evaluation {id} does not exist."));
        await SaveAsync(updated);
        return updated;
    }

    public async Task<IReadOnlyList<EvaluationView>> ListAsync(string? runId = null, int limit = 100)
    {
        var db = redis.GetDatabase();
        var ids = await db.SortedSetRangeByRankAsync(runId is null ? AllKey : RunKey(runId), 0, limit - 1, Order.Descending);
        var values = await db.StringGetAsync([.. ids.Select(id => (RedisKey)Key(id!))]);
        return [.. values.Where(v => v.HasValue).Select(v => JsonSerializer.Deserialize<EvaluationView>(v.ToString(), Json)!)];
    }
}
