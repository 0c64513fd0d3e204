using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Security;

public static class ApiAuthenticationExtensions
{
    /// <summary>
    /// Reads <c>Auth</c> (throws at start when it is incomplete outside Development) and requires an authenticated caller
    /// on every endpoint that does not opt out (only <c>/health</c> and <c>/alive</c> do): the access-key header in ApiKey
    /// mode, an Entra ID bearer token in EntraId mode.
    /// </summary>
    public static IHostApplicationBuilder AddApiAuthentication(this IHostApplicationBuilder builder)
    {
        var settings = AuthSettings.Read(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(settings);

        var scheme = settings.Mode switch
        {
            AuthMode.ApiKey => ApiKeyAuthenticationHandler.SchemeName,
            AuthMode.EntraId => JwtBearerDefaults.AuthenticationScheme,
            _ => null,
        };
        var authentication = builder.Services.AddAuthentication(options => options.DefaultScheme = scheme);
        switch (settings.Mode)
        {
            case AuthMode.ApiKey:
                authentication.AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, options =>
                {
                    options.HeaderName = settings.HeaderName;
                    options.ApiKey = settings.ApiKey;
                });
                break;

            case AuthMode.EntraId:
                var entra = settings.EntraId;
                authentication.AddJwtBearer(options =>
                {
                    options.Authority = entra.Authority;
                    options.MapInboundClaims = false;
                    options.TokenValidationParameters.ValidAudiences = entra.ValidAudiences;
                    options.TokenValidationParameters.ValidIssuers = entra.ValidIssuers;
                });
                break;
        }

        // The fallback policy covers every endpoint without its own, the OpenAPI document and the change stream included.
        var authorization = builder.Services.AddAuthorizationBuilder();
        if (scheme is not null)
        {
            var policy = new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser();
            if (settings.Mode == AuthMode.EntraId && settings.EntraId.RequiredRole is { Length: > 0 } role)
            {
                // Any app of the tenant can get a token for the api; the role says which may use it.
                policy.RequireClaim("roles", role);
            }

            authorization.SetFallbackPolicy(policy.Build());
        }

        return builder;
    }
}
