using System.Net.Http.Headers;
using Azure;
using Azure.Core;
using Azure.Identity;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Web.Security;

/// <summary>
/// Puts the web's credential for the api on each request of the api clients: the access key header in ApiKey mode, an
/// Entra ID bearer token in EntraId mode, nothing in None mode.
/// </summary>
public sealed class ApiCredentialHandler(AuthSettings settings, IServiceProvider services) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        switch (settings.Mode)
        {
            case AuthMode.ApiKey:
                request.Headers.Remove(settings.HeaderName);
                request.Headers.TryAddWithoutValidation(settings.HeaderName, settings.ApiKey);
                break;

            case AuthMode.EntraId:
                var token = await services.GetRequiredService<ApiAccessTokens>().GetAsync(cancellationToken);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                break;
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The web's app token for the api's scope (<c>Auth:EntraId:ApiScope</c>), renewed five minutes before it expires.</summary>
public sealed class ApiAccessTokens(AuthSettings settings, TokenCredential credential)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);

    // One reference, swapped whole: a request never reads one token's expiry with another's value.
    private volatile CachedToken? _token;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && cached.ExpiresOn - DateTimeOffset.UtcNow > RenewBefore)
        {
            return cached.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not { } current || current.ExpiresOn - DateTimeOffset.UtcNow <= RenewBefore)
            {
                var token = await credential.GetTokenAsync(new TokenRequestContext([settings.EntraId.ApiScopeOrDefault]), cancellationToken);
                _token = current = new CachedToken(token.Token, token.ExpiresOn);
            }

            return current.Token;
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or RequestFailedException)
        {
            // Callers handle an api they cannot reach; a token they cannot get is the same to them (and the change feed retries).
            throw new HttpRequestException($"No token for the api's scope {settings.EntraId.ApiScopeOrDefault}: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresOn);
}
