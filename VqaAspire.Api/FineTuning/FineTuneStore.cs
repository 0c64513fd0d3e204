using StackExchange.Redis;
using VqaAspire.Api.Storage;
using VqaAspire.Contracts;

namespace VqaAspire.Api.FineTuning;

/// <summary>A fine-tune's follow-up state in Redis (JSON as <see cref="StoreJson"/> writes it): events, metric series, the event cursor, and which runs are followed.</summary>
public sealed class FineTuneStore(IConnectionMultiplexer redis)
{
    private const string ActiveKey = "vqa:ft:active";

    private IDatabase Db => redis.GetDatabase();

    public Task FollowAsync(string runId) => Db.SetAddAsync(ActiveKey, runId);

    public Task StopFollowingAsync(string runId) => Db.SetRemoveAsync(ActiveKey, runId);

    public async Task<IReadOnlyList<string>> FollowedRunsAsync() => [.. (await Db.SetMembersAsync(ActiveKey)).Select(v => v.ToString())];

    /// <summary>
    /// Claims job creation for a run's fine-tune (the first, or the nth after reruns on other providers). False when a
    /// creation was already claimed (maybe by an api that then stopped).
    /// </summary>
    public Task<bool> ClaimJobCreationAsync(string runId, int attempt = 1) =>
        Db.StringSetAsync(attempt <= 1 ? $"vqa:ft:{runId}:creating" : $"vqa:ft:{runId}:creating:{attempt}", "1", when: When.NotExists);

    /// <summary>
    /// Keeps the events and metrics of the run's fine-tune under its job id, before the run is fine-tuned again on another
    /// provider: nothing of the earlier job is lost, and the new one starts its own series.
    /// </summary>
    public async Task KeepAsync(string runId, string jobId)
    {
        var keep = Db.CreateTransaction();
        foreach (var part in new[] { "events", "series" })
        {
            var from = $"vqa:ft:{runId}:{part}";
            if (await Db.KeyExistsAsync(from))
            {
                _ = keep.KeyRenameAsync(from, Key(runId, part, jobId));
            }
        }

        _ = keep.KeyDeleteAsync($"vqa:ft:{runId}:cursor");
        await keep.ExecuteAsync();
    }

    /// <summary>The run's current fine-tune's key, or an earlier one's by its job id.</summary>
    private static string Key(string runId, string part, string? jobId) => jobId is null ? $"vqa:ft:{runId}:{part}" : $"vqa:ft:{runId}:{jobId}:{part}";

    public async Task<string?> UploadedFileAsync(string providerHost, string contentHash) =>
        await Db.StringGetAsync($"vqa:upload:{providerHost}:{contentHash}") is { HasValue: true } v ? v.ToString() : null;

    public Task RememberUploadAsync(string providerHost, string contentHash, string fileId) =>
        Db.StringSetAsync($"vqa:upload:{providerHost}:{contentHash}", fileId);

    public async Task<string?> EventCursorAsync(string runId) =>
        await Db.StringGetAsync($"vqa:ft:{runId}:cursor") is { HasValue: true } v ? v.ToString() : null;

    /// <summary>
    /// Appends the events read after <paramref name="cursor"/> and moves the cursor past them as one step, if the cursor
    /// is still there: an api stopped between the two cannot record them twice, nor can a second follower that read from
    /// the same cursor. False when the cursor had moved (nothing is appended).
    /// </summary>
    public async Task<bool> AppendEventsAsync(string runId, string? cursor, IReadOnlyList<FineTuneEvent> events)
    {
        if (events.Count == 0)
        {
            return true;
        }

        var cursorKey = $"vqa:ft:{runId}:cursor";
        var append = Db.CreateTransaction();
        append.AddCondition(cursor is null ? Condition.KeyNotExists(cursorKey) : Condition.StringEqual(cursorKey, cursor));
        _ = append.ListRightPushAsync($"vqa:ft:{runId}:events", [.. events.Select(e => (RedisValue)StoreJson.Serialize(e))]);
        _ = append.StringSetAsync(cursorKey, events[^1].Id);
        return await append.ExecuteAsync();
    }

    /// <param name="jobId">An earlier fine-tune's job; null for the current one.</param>
    public async Task<IReadOnlyList<FineTuneEvent>> EventsAsync(string runId, int offset, int limit, string? jobId = null) =>
        [.. (await Db.ListRangeAsync(Key(runId, "events", jobId), offset, offset + limit - 1)).Select(v => StoreJson.Deserialize<FineTuneEvent>(v.ToString()))];

    /// <param name="jobId">An earlier fine-tune's job; null for the current one.</param>
    public async Task<IReadOnlyList<FineTunePoint>> SeriesAsync(string runId, string? jobId = null) =>
        await Db.StringGetAsync(Key(runId, "series", jobId)) is { HasValue: true } v
            ? StoreJson.Deserialize<List<FineTunePoint>>(v.ToString())
            : [];

    public Task SaveSeriesAsync(string runId, IReadOnlyList<FineTunePoint> series) =>
        Db.StringSetAsync($"vqa:ft:{runId}:series", StoreJson.Serialize(series));
}
