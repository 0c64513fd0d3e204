namespace VqaAspire.Contracts;

/// <param name="Mode">redis (the Aspire container) or embedded (Garnet in-process host).</param>
/// <param name="Answers">Whether a write and read back through the cache succeeded just now.</param>
public sealed record CacheStatus(string Mode, bool Answers, double? RoundTripMs, string? Error);
