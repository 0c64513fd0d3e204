namespace VqaAspire.Api.Storage;

/// <summary>
/// A Redis key that lists entries of a <see cref="RedisJsonStore{T}"/>: a sorted set when <see cref="Score"/> is given
/// (lists read newest first by it), else a plain set.
/// </summary>
public sealed record StoreIndex<T>(Func<T, string> Key, Func<T, double>? Score = null);
