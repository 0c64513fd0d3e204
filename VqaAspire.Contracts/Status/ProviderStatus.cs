namespace VqaAspire.Contracts;

/// <summary>The provider in use. Never carries the key.</summary>
/// <param name="Kind">openai, azure, emulator or openai-compatible.</param>
/// <param name="EndpointHost">Host (and port) of the endpoint, without path, query or credentials.</param>
/// <param name="IsEmulated">True when answers come from the local emulator, not a real model.</param>
/// <param name="Answers">Whether the provider answered a model listing just now.</param>
/// <param name="Error">Why it did not answer, in words a user can act on.</param>
public sealed record ProviderStatus(string Kind, string EndpointHost, bool IsEmulated, bool Answers, string? Error, AzureDeploymentsStatus? Azure = null);
