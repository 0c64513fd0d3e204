using StackExchange.Redis;

namespace VqaAspire.Api.Storage;

/// <summary>
/// Entries kept as JSON strings in Redis with no time to live (never evicted). A save writes the entry, its place in
/// each index and, for an entry that belongs to a run, the <see cref="RunChanges"/> message in one MULTI/EXEC: a
/// process killed mid-save leaves no entry saved but unlisted, and no change is announced that did not happen.
/// </summary>
/// <param name="key">The entry's key from its id.</param>
/// <param name="idOf">The id of an entry.</param>
/// <param name="indexes">The keys that list the entry.</param>
/// <param name="changedRun">The run an entry belongs to, announced on every save; null for entries that belong to none.</param>
public sealed class RedisJsonStore<T>(
    IConnectionMultiplexer redis,
    Func<string, string> key,
    Func<T, string> idOf,
    IReadOnlyList<StoreIndex<T>> indexes,
    Func<T, string>? changedRun = null)
    where T : class
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<T?> GetAsync(string id) =>
        await Db.StringGetAsync(key(id)) is { IsNullOrEmpty: false } value ? StoreJson.Deserialize<T>(value.ToString()) : null;

    /// <summary>The entries of a sorted index, highest score (newest) first.</summary>
    public async Task<IReadOnlyList<T>> ListNewestFirstAsync(string indexKey, int offset, int limit) =>
        await GetManyAsync(await Db.SortedSetRangeByRankAsync(indexKey, offset, offset + limit - 1, Order.Descending));

    /// <summary>The entries of a plain set index, in no order.</summary>
    public async Task<IReadOnlyList<T>> ListAllAsync(string indexKey) => await GetManyAsync(await Db.SetMembersAsync(indexKey));

    /// <summary>Saves the entry, whether or not it exists.</summary>
    public Task SaveAsync(T entry) => SaveAsync(entry, onlyIfNew: false);

    /// <summary>Saves the entry only when none has its id; false when one does (nothing is written).</summary>
    public Task<bool> TryCreateAsync(T entry) => SaveAsync(entry, onlyIfNew: true);

    /// <summary>
    /// Applies a change to an entry and saves it; null when there is no such entry. Each entry has one writer at a time, so last write wins is safe.
    /// A change that returns the entry itself writes (and announces) nothing.
    /// </summary>
    public async Task<T?> UpdateAsync(string id, Func<T, T> change)
    {
        if (await GetAsync(id) is not { } current)
        {
            return null;
        }

        var updated = change(current);
        if (ReferenceEquals(updated, current))
        {
            return current;
        }

        await SaveAsync(updated);
        return updated;
    }

    private async Task<IReadOnlyList<T>> GetManyAsync(RedisValue[] ids)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await Db.StringGetAsync([.. ids.Select(id => (RedisKey)key(id.ToString()))]);
        return [.. values.Where(v => !v.IsNullOrEmpty).Select(v => StoreJson.Deserialize<T>(v.ToString()))];
    }

    private async Task<bool> SaveAsync(T entry, bool onlyIfNew)
    {
        var id = idOf(entry);
        var entryKey = key(id);
        var save = Db.CreateTransaction();
        if (onlyIfNew)
        {
            save.AddCondition(Condition.KeyNotExists(entryKey));
        }

        _ = save.StringSetAsync(entryKey, StoreJson.Serialize(entry));
        foreach (var index in indexes)
        {
            _ = index.Score is { } score
                ? save.SortedSetAddAsync(index.Key(entry), id, score(entry))
                : save.SetAddAsync(index.Key(entry), id);
        }

        if (changedRun is not null)
        {
            _ = save.PublishAsync(RunChanges.Channel, changedRun(entry));
        }

        return await save.ExecuteAsync();
    }
}
