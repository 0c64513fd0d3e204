using System.Text.Json;
using StackExchange.Redis;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>A registered dataset: what lists show, plus what the import needs again (column overrides, sample sizes, Hub id).</summary>
public sealed record DatasetEntry(DatasetSummary Summary, ColumnOverrides? Columns, SampleOptions? Sample = null, string? HuggingFaceId = null);

/// <summary>
/// The datasets the api knows, in Redis under <c>vqa:dataset:{id}</c> (JSON, no TTL: never evicted) with the set of ids
/// in <c>vqa:datasets</c>. Progress of a running import is a hash of its own (<c>vqa:dataset:{id}:progress</c>), written
/// often without touching the entry, and merged in while the dataset is importing.
/// </summary>
public sealed class DatasetRegistry(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "vqa:dataset:";
    public const string IndexKey = "vqa:datasets";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<DatasetEntry?> GetAsync(string id)
    {
        var value = await redis.GetDatabase().StringGetAsync(KeyPrefix + id);
        return value.IsNullOrEmpty ? null : await WithProgressAsync(JsonSerializer.Deserialize<DatasetEntry>(value.ToString(), Json)!);
    }

    /// <summary>Records how far a running import is.</summary>
    public Task SetProgressAsync(string id, double progress, string message) =>
        redis.GetDatabase().HashSetAsync(ProgressKey(id), [new("progress", progress), new("message", message)]);

    private static string ProgressKey(string id) => $"{KeyPrefix}{id}:progress";

    private async Task<DatasetEntry> WithProgressAsync(DatasetEntry entry)
    {
        if (entry.Summary.Status != DatasetStatuses.Importing)
        {
            return entry;
        }

        var fields = await redis.GetDatabase().HashGetAsync(ProgressKey(entry.Summary.Id), ["progress", "message"]);
        return fields[0].IsNull
            ? entry
            : entry with { Summary = entry.Summary with { Progress = (double)fields[0], ProgressMessage = fields[1].ToString() } };
    }

    /// <summary>Every dataset, oldest first.</summary>
    public async Task<IReadOnlyList<DatasetEntry>> ListAsync()
    {
        var db = redis.GetDatabase();
        var ids = await db.SetMembersAsync(IndexKey);
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await db.StringGetAsync([.. ids.Select(id => (RedisKey)(KeyPrefix + id))]);
        var entries = new List<DatasetEntry>();
        foreach (var value in values.Where(v => !v.IsNullOrEmpty))
        {
            entries.Add(await WithProgressAsync(JsonSerializer.Deserialize<DatasetEntry>(value.ToString(), Json)!));
        }

        return [.. entries.OrderBy(e => e.Summary.CreatedAt)];
    }

    public Task SaveAsync(DatasetEntry entry) => SaveAsync(entry, onlyIfNew: false);

    /// <summary>Saves the entry only when no dataset has its id; false when one does.</summary>
    public Task<bool> TryCreateAsync(DatasetEntry entry) => SaveAsync(entry, onlyIfNew: true);

    /// <summary>The entry and its place in the index in one transaction, so a process killed mid-save leaves none unlisted.</summary>
    private async Task<bool> SaveAsync(DatasetEntry entry, bool onlyIfNew)
    {
        var key = KeyPrefix + entry.Summary.Id;
        var save = redis.GetDatabase().CreateTransaction();
        if (onlyIfNew)
        {
            save.AddCondition(Condition.KeyNotExists(key));
        }

        _ = save.StringSetAsync(key, JsonSerializer.Serialize(entry, Json));
        _ = save.SetAddAsync(IndexKey, entry.Summary.Id);
        return await save.ExecuteAsync();
    }

    /// <summary>
    /// Applies <paramref name="change"/> to a dataset's summary and saves it; the progress hash goes once the import
    /// ended. The import worker is the entry's only writer while it imports.
    /// </summary>
    public async Task<DatasetEntry?> UpdateAsync(string id, Func<DatasetSummary, DatasetSummary> change)
    {
        var entry = await GetAsync(id);
        if (entry is null)
        {
            return null;
        }

        var updated = entry with { Summary = change(entry.Summary) };
        await SaveAsync(updated);
        if (updated.Summary.Status != DatasetStatuses.Importing)
        {
            await redis.GetDatabase().KeyDeleteAsync(ProgressKey(id));
        }

        return updated;
    }
}
