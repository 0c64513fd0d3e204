using System.Text.Json;
using StackExchange.Redis;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>A registered dataset: what lists show, plus the column overrides (and sample sizes) the import used.</summary>
public sealed record DatasetEntry(DatasetSummary Summary, ColumnOverrides? Columns, SampleOptions? Sample = null);

/// <summary>
/// The datasets the api knows, in Redis under <c>vqa:dataset:{id}</c> (JSON, no TTL: never evicted) with the set of ids
/// in <c>vqa:datasets</c>.
/// </summary>
public sealed class DatasetRegistry(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "vqa:dataset:";
    public const string IndexKey = "vqa:datasets";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<DatasetEntry?> GetAsync(string id)
    {
        var value = await redis.GetDatabase().StringGetAsync(KeyPrefix + id);
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<DatasetEntry>(value.ToString(), Json);
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
        return [.. values.Where(v => !v.IsNullOrEmpty)
            .Select(v => JsonSerializer.Deserialize<DatasetEntry>(v.ToString(), Json)!)
            .OrderBy(e => e.Summary.CreatedAt)];
    }

    public async Task SaveAsync(DatasetEntry entry)
    {
        var db = redis.GetDatabase();
        await db.StringSetAsync(KeyPrefix + entry.Summary.Id, JsonSerializer.Serialize(entry, Json));
        await db.SetAddAsync(IndexKey, entry.Summary.Id);
    }

    /// <summary>Saves the entry only when no dataset has its id; false when one does.</summary>
    public async Task<bool> TryCreateAsync(DatasetEntry entry)
    {
        var db = redis.GetDatabase();
        if (!await db.StringSetAsync(KeyPrefix + entry.Summary.Id, JsonSerializer.Serialize(entry, Json), when: When.NotExists))
        {
            return false;
        }

        await db.SetAddAsync(IndexKey, entry.Summary.Id);
        return true;
    }

    /// <summary>Applies <paramref name="change"/> to a dataset's summary and saves it (the import worker is its only writer).</summary>
    public async Task<DatasetEntry?> UpdateAsync(string id, Func<DatasetSummary, DatasetSummary> change)
    {
        var entry = await GetAsync(id);
        if (entry is null)
        {
            return null;
        }

        var updated = entry with { Summary = change(entry.Summary) };
        await SaveAsync(updated);
        return updated;
    }
}
