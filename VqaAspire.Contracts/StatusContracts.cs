namespace VqaAspire.Contracts;

// Shapes the api returns and the web reads. The web compiles this folder in, so there is one definition.

/// <summary>What <c>GET /api/status</c> answers: which provider and cache the api uses and whether they answer.</summary>
public sealed record ApiStatus(ProviderStatus Provider, CacheStatus Cache, DateTimeOffset CheckedAt);

/// <summary>The provider in use. Never carries the key.</summary>
/// <param name="Kind">openai, azure, emulator or openai-compatible.</param>
/// <param name="EndpointHost">Host (and port) of the endpoint, without path, query or credentials.</param>
/// <param name="IsEmulated">True when answers come from the local emulator, not a real model.</param>
/// <param name="Answers">Whether the provider answered a model listing just now.</param>
/// <param name="Error">Why it did not answer, in words a user can act on.</param>
public sealed record ProviderStatus(string Kind, string EndpointHost, bool IsEmulated, bool Answers, string? Error);

/// <param name="Mode">redis (the Aspire container) or embedded (Garnet in-process host).</param>
/// <param name="Answers">Whether a write and read back through the cache succeeded just now.</param>
public sealed record CacheStatus(string Mode, bool Answers, double? RoundTripMs, string? Error);
