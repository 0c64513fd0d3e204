using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Security;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    public string HeaderName { get; set; } = AuthSettings.DefaultHeaderName;

    public string? ApiKey { get; set; }
}

/// <summary>
/// Authenticates a caller that sends the shared access key in a header (<c>X-Api-Key</c> by default). The key is
/// compared in fixed time and never written to a log or an answer.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Options.HeaderName, out var values) || values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count > 1 || !AuthSettings.KeyMatches(values[0], Options.ApiKey))
        {
            return Task.FromResult(AuthenticateResult.Fail("The access key was not accepted."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "access-key")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var sent = Request.Headers.ContainsKey(Options.HeaderName);
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required",
                // Names the header, never the key.
                Detail = sent
                    ? $"The access key in the '{Options.HeaderName}' header was not accepted."
                    : $"Send the access key in the '{Options.HeaderName}' header.",
            },
        });
    }
}
