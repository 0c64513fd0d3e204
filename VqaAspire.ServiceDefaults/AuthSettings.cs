using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace VqaAspire.ServiceDefaults;

/// <summary>How the api and the web authenticate: off, a shared access key, or Microsoft Entra ID.</summary>
public enum AuthMode
{
    None,
    ApiKey,
    EntraId,
}

/// <summary>
/// The <c>Auth</c> section the api and the web both read. Development defaults to <see cref="AuthMode.None"/>; anywhere
/// else the mode must be chosen, so a deployment never runs open by accident.
/// </summary>
public sealed class AuthSettings
{
    public const string SectionName = "Auth";
    public const string DefaultHeaderName = "X-Api-Key";

    /// <summary>Shortest access key accepted: a key a person can guess is no key.</summary>
    public const int MinimumKeyLength = 16;

    public AuthMode Mode { get; init; }

    /// <summary>Header the api reads the access key from (ApiKey mode).</summary>
    public string HeaderName { get; init; } = DefaultHeaderName;

    /// <summary>The shared access key (ApiKey mode): the api's header value and what a user types on the web's sign-in page.</summary>
    public string? ApiKey { get; init; }

    public EntraIdSettings EntraId { get; init; } = new();

    /// <summary>Reads and checks <c>Auth</c>; throws <see cref="InvalidOperationException"/> saying what to set when it is incomplete.</summary>
    public static AuthSettings Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(SectionName);
        var configuredMode = section["Mode"]?.Trim();
        var allowAnonymous = bool.TryParse(section["AllowAnonymous"], out var allow) && allow;
        var modes = string.Join(", ", Enum.GetNames<AuthMode>());

        AuthMode mode;
        if (string.IsNullOrEmpty(configuredMode))
        {
            mode = environment.IsDevelopment() || allowAnonymous
                ? AuthMode.None
                : throw new InvalidOperationException(
                    $"Authentication is not configured and the environment is '{environment.EnvironmentName}', not Development. "
                    + $"Set Auth:Mode (environment variable Auth__Mode) to ApiKey with Auth:ApiKey, or to EntraId with Auth:EntraId:TenantId and Auth:EntraId:ClientId. "
                    + "To run without authentication on purpose, set Auth:Mode=None and Auth:AllowAnonymous=true.");
        }
        else if (!Enum.TryParse(configuredMode, ignoreCase: true, out mode) || !Enum.IsDefined(mode))
        {
            throw new InvalidOperationException($"Auth:Mode '{configuredMode}' is not one of {modes}.");
        }

        if (mode == AuthMode.None && !environment.IsDevelopment() && !allowAnonymous)
        {
            throw new InvalidOperationException(
                $"Auth:Mode is None in the '{environment.EnvironmentName}' environment: anyone could use the app. "
                + "Set Auth:Mode to ApiKey or EntraId, or also set Auth:AllowAnonymous=true to run without authentication on purpose.");
        }

        var settings = new AuthSettings
        {
            Mode = mode,
            HeaderName = section["HeaderName"] is { Length: > 0 } header ? header.Trim() : DefaultHeaderName,
            ApiKey = section["ApiKey"],
            EntraId = section.GetSection("EntraId").Get<EntraIdSettings>() ?? new EntraIdSettings(),
        };

        if (mode == AuthMode.ApiKey && (settings.ApiKey is null || settings.ApiKey.Trim().Length < MinimumKeyLength))
        {
            // Says how long, never what was given.
            throw new InvalidOperationException(
                $"Auth:Mode is ApiKey but Auth:ApiKey (environment variable Auth__ApiKey) is missing or shorter than {MinimumKeyLength} characters.");
        }

        if (mode == AuthMode.EntraId && (string.IsNullOrWhiteSpace(settings.EntraId.TenantId) || string.IsNullOrWhiteSpace(settings.EntraId.ClientId)))
        {
            throw new InvalidOperationException("Auth:Mode is EntraId but Auth:EntraId:TenantId or Auth:EntraId:ClientId is missing.");
        }

        return settings;
    }

    /// <summary>True when <paramref name="given"/> is the access key; compared in fixed time, so the answer's timing tells nothing about the key.</summary>
    public static bool KeyMatches(string? given, string? expected)
    {
        if (string.IsNullOrEmpty(given) || string.IsNullOrEmpty(expected))
        {
            return false;
        }

        // Hashing first gives both sides one length: FixedTimeEquals answers at once when lengths differ.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}

/// <summary>
/// <c>Auth:EntraId</c>. One app registration can serve both: the web signs users in with it, and it exposes the api's
/// scope (<c>api://{ClientId}</c>) that the web's managed identity gets tokens for.
/// </summary>
public sealed class EntraIdSettings
{
    public string Instance { get; init; } = "https://login.microsoftonline.com/";

    public string? TenantId { get; init; }

    /// <summary>The app registration's client id: the web signs in with it; the api accepts tokens issued for it.</summary>
    public string? ClientId { get; init; }

    /// <summary>The api's audience; <c>api://{ClientId}</c> when not set (the client id itself is accepted too).</summary>
    public string? Audience { get; init; }

    /// <summary>An app role the api requires in the token's <c>roles</c> (assigned to the web's identity); none when not set.</summary>
    public string? RequiredRole { get; init; }

    /// <summary>The web's client secret for the authorization-code flow; without one the web asks for an ID token only.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The scope the web asks for when it calls the api, e.g. <c>api://{ClientId}/.default</c>.</summary>
    public string? ApiScope { get; init; }

    /// <summary>The v2.0 authority of the tenant, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string Authority => $"{Instance.TrimEnd('/')}/{TenantId}/v2.0";

    /// <summary>The audiences the api accepts: the configured one, <c>api://{ClientId}</c> and the client id (v2 tokens).</summary>
    public IReadOnlyList<string> ValidAudiences =>
        [.. new[] { Audience, $"api://{ClientId}", ClientId }.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!).Distinct()];

    /// <summary>The issuers of the tenant's v2.0 and v1.0 tokens (an api registered without accessTokenAcceptedVersion gets v1 tokens).</summary>
    public IReadOnlyList<string> ValidIssuers =>
        [$"{Instance.TrimEnd('/')}/{TenantId}/v2.0", $"https://sts.windows.net/{TenantId}/"];

    /// <summary>The scope the web asks for: <see cref="ApiScope"/>, else <c>{Audience}/.default</c>.</summary>
    public string ApiScopeOrDefault => ApiScope is { Length: > 0 } scope ? scope : $"{Audience ?? $"api://{ClientId}"}/.default";
}
