namespace VqaAspire.Api.Workers;

/// <summary>An item taken from a <see cref="RedisWorkQueue{T}"/>: its key, the item, and the lease that says this replica works on it.</summary>
public sealed record ClaimedWork<T>(string Key, T Item, WorkLease Lease);
