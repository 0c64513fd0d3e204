namespace VqaAspire.Contracts;

/// <summary>What <c>GET /api/status</c> answers: which provider and cache the api uses and whether they answer.</summary>
public sealed record ApiStatus(ProviderStatus Provider, CacheStatus Cache, DateTimeOffset CheckedAt);
