using global::Azure.Core;

namespace VqaAspire.Api.Providers.Azure;

/// <summary>The fixed token the emulator's Azure surfaces accept; never logged.</summary>
public sealed class EmulatorTokenCredential(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
