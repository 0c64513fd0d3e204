using StackExchange.Redis;
using VqaAspire.Api.Storage;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// The datasets the api knows, in Redis under <c>vqa:dataset:{id}</c> (JSON, no TTL: never evicted) with the set of ids
/// in <c>vqa:datasets</c>. Progress of a running import is a hash of its own (<c>vqa:dataset:{id}:progress</c>), written
/// often without touching the entry, and merged in while the dataset is importing.
/// </summary>
public sealed class DatasetRegistry(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "vqa:dataset:";
    public const string IndexKey = "vqa:datasets";

    private readonly RedisJsonStore<DatasetEntry> _store = new(redis, id => KeyPrefix + id, entry => entry.Summary.Id,
        [new StoreIndex<DatasetEntry>(_ => IndexKey)]);

    public async Task<DatasetEntry?> GetAsync(string id) =>
        await _store.GetAsync(id) is { } entry ? await WithProgressAsync(entry) : null;

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
        var entries = new List<DatasetEntry>();
        foreach (var entry in await _store.ListAllAsync(IndexKey))
        {
            entries.Add(await WithProgressAsync(entry));
        }

        return [.. entries.OrderBy(e => e.Summary.CreatedAt)];
    }

    /// <summary>Saves the entry with its place in the index, in one transaction.</summary>
    public Task SaveAsync(DatasetEntry entry) => _store.SaveAsync(entry);

    /// <summary>Saves the entry only when no dataset has its id; false when one does.</summary>
    public Task<bool> TryCreateAsync(DatasetEntry entry) => _store.TryCreateAsync(entry);

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
