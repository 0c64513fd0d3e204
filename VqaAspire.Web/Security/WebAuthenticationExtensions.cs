using Azure.Core;
using Azure.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Web.Security;

public static class WebAuthenticationExtensions
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    /// <summary>
    /// Reads <c>Auth</c> (throws at start when it is incomplete outside Development) and makes every page need a signed-in
    /// user: a cookie from the <c>/login</c> page's access key in ApiKey mode, OpenID Connect with Entra ID in EntraId mode.
    /// </summary>
    public static IHostApplicationBuilder AddWebAuthentication(this IHostApplicationBuilder builder)
    {
        var settings = AuthSettings.Read(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(settings);
        builder.Services.AddTransient<ApiCredentialHandler>();

        switch (settings.Mode)
        {
            case AuthMode.ApiKey:
                builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                    .AddCookie(options => ConfigureCookie(options));
                break;

            case AuthMode.EntraId:
                var entra = settings.EntraId;
                builder.Services.AddAuthentication(options =>
                    {
                        options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                        options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
                    })
                    .AddCookie(options => ConfigureCookie(options))
                    .AddOpenIdConnect(options =>
                    {
                        options.Authority = entra.Authority;
                        options.ClientId = entra.ClientId;
                        options.ClientSecret = entra.ClientSecret;
                        // With a secret, the code flow; without, an ID token posted back (enable ID tokens on the app registration).
                        options.ResponseType = string.IsNullOrEmpty(entra.ClientSecret) ? OpenIdConnectResponseType.IdToken : OpenIdConnectResponseType.Code;
                        options.ResponseMode = OpenIdConnectResponseMode.FormPost;
                        options.MapInboundClaims = false;
                        options.TokenValidationParameters.NameClaimType = "name";
                        options.SaveTokens = false;
                    });
                // The web's own identity (managed identity in Azure) gets the tokens it calls the api with.
                builder.Services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
                builder.Services.AddSingleton<ApiAccessTokens>();
                break;

            default:
                builder.Services.AddAuthentication();
                break;
        }

        var authorization = builder.Services.AddAuthorizationBuilder();
        if (settings.Mode != AuthMode.None)
        {
            // Every page, the Blazor circuit and the /files pass-through; static assets, /login and health opt out.
            authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        }

        return builder;
    }

    /// <summary>Adds the caller's credential for the api (access key header or Entra ID token) to a client's requests.</summary>
    public static IHttpClientBuilder AddApiCredentials(this IHttpClientBuilder client) =>
        client.AddHttpMessageHandler<ApiCredentialHandler>();

    /// <summary>Maps <c>POST /logout</c>: ends the session (and the Entra ID one in EntraId mode), then back to the start.</summary>
    public static IEndpointRouteBuilder MapSignOut(this IEndpointRouteBuilder app)
    {
        app.MapPost(LogoutPath, async (HttpContext context, IAntiforgery antiforgery, AuthSettings settings) =>
        {
            // A cross-site form must not sign a user out.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            return settings.Mode switch
            {
                AuthMode.EntraId => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                    [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]),
                AuthMode.ApiKey => Results.SignOut(new AuthenticationProperties { RedirectUri = LoginPath },
                    [CookieAuthenticationDefaults.AuthenticationScheme]),
                _ => Results.LocalRedirect("/"),
            };
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>A local path to return to after sign-in; anything else (another site, a scheme) becomes "/".</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.StartsWith("/\\", StringComparison.Ordinal) && Uri.IsWellFormedUriString(url, UriKind.Relative)
            ? url
            : "/";

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.LoginPath = LoginPath;
        options.LogoutPath = LogoutPath;
        options.Cookie.Name = "vqaaspire.auth";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
    }
}
