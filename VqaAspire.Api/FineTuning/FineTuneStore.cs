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

    /// <summary>Claims job creation for a run. False when a creation was already claimed (maybe by an api that then stopped).</summary>
    public Task<bool> ClaimJobCreationAsync(string runId) => Db.StringSetAsync($"vqa:ft:{runId}:creating", "1", when: When.NotExists);

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

    public async Task<IReadOnlyList<FineTuneEvent>> EventsAsync(string runId, int offset, int limit) =>
        [.. (await Db.ListRangeAsync($"vqa:ft:{runId}:events", offset, offset + limit - 1)).Select(v => StoreJson.Deserialize<FineTuneEvent>(v.ToString()))];

    public async Task<IReadOnlyList<FineTunePoint>> SeriesAsync(string runId) =>
        await Db.StringGetAsync($"vqa:ft:{runId}:series") is { HasValue: true } v
            ? StoreJson.Deserialize<List<FineTunePoint>>(v.ToString())
            : [];

    public Task SaveSeriesAsync(string runId, IReadOnlyList<FineTunePoint> series) =>
        Db.StringSetAsync($"vqa:ft:{runId}:series", StoreJson.Serialize(series));
}
