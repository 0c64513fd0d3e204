using global::Azure.Core;

namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// One Entra ID token for one scope, fetched once and reused until <see cref="RefreshBefore"/> ahead of its expiry:
/// DefaultAzureCredential with az login starts the CLI on every fetch, which a 5-second poll cannot afford.
/// The token is a secret: it stays in memory and in the Authorization header, never in a log.
/// </summary>
public sealed class AzureTokenCache(TokenCredential credential, string scope, TimeProvider time)
{
    /// <summary>How long before expiry a token is replaced, so a request never leaves with one about to lapse.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } token)
        {
            return token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }

            _token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
            return _token.Value.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Fresh() => _token is { } token && token.ExpiresOn - RefreshBefore > time.GetUtcNow() ? token.Token : null;
}
