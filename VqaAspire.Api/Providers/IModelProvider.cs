namespace VqaAspire.Api.Providers;

/// <summary>
/// Everything the pipeline asks of an OpenAI-shaped provider. The OpenAI SDK is used behind this interface only.
/// </summary>
public interface IModelProvider
{
    ProviderOptions Settings { get; }

    /// <summary>Ids of the models the provider serves (a cheap call that proves the endpoint and key work).</summary>
    Task<IReadOnlyList<string>> ListModelIdsAsync(CancellationToken cancellationToken);
}
