using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Security;

/// <summary>
/// The api in EntraId mode, in Production, accepting only bearer tokens its tenant issued for it. Entra ID cannot be
/// reached offline, so the tenant's signing key is a local one given to the api in place of the published keys; issuer,
/// audience, lifetime and signature are checked by the api's own settings.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EntraIdApiTests(EntraIdApiTests.EntraIdApi api) : IClassFixture<EntraIdApiTests.EntraIdApi>
{
    private const string TenantId = "0a0b0c0d-1111-2222-3333-444455556666";
    private const string ClientId = "5e6f7a8b-aaaa-bbbb-cccc-ddddeeeeffff";
    private const string Protected = "/api/datasets/presets";

    public sealed class EntraIdApi : IAsyncLifetime
    {
        public RsaSecurityKey TenantKey { get; } = new(RSA.Create(2048)) { KeyId = "tenant-key" };

        public SecuredApiFactory Host { get; private set; } = null!;

        public Task InitializeAsync()
        {
            Host = Start();
            return Task.CompletedTask;
        }

        /// <summary>An api of the test tenant, trusting <see cref="TenantKey"/> as the tenant's published signing key.</summary>
        public SecuredApiFactory Start(string? requiredRole = null) => new(
            new Dictionary<string, string?>
            {
                ["Auth:Mode"] = "EntraId",
                ["Auth:EntraId:TenantId"] = TenantId,
                ["Auth:EntraId:ClientId"] = ClientId,
                ["Auth:EntraId:RequiredRole"] = requiredRole,
            },
            services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                // What the api would read from the tenant's metadata document.
                options.Configuration = new OpenIdConnectConfiguration { Issuer = V2Issuer };
                options.Configuration.SigningKeys.Add(TenantKey);
            }));

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private static string V2Issuer => $"https://login.microsoftonline.com/{TenantId}/v2.0";

    private static string V1Issuer => $"https://sts.windows.net/{TenantId}/";

    [Fact]
    public async Task ARequestWithoutATokenIsUnauthorized()
    {
        using var client = api.Host.Factory.CreateClient();

        using var response = await client.GetAsync(Protected);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task TheHealthCheckNeedsNoToken()
    {
        using var client = api.Host.Factory.CreateClient();

        using var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task AMalformedTokenIsUnauthorized(string token)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(token));
    }

    [Fact]
    public async Task TokensFromElsewhereOrForAnotherApiOrExpiredAreUnauthorized()
    {
        var strangerKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "tenant-key" };

        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Token(signedBy: strangerKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Token(audience: "api://someone-else")));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Token(issuer: "https://login.microsoftonline.com/another-tenant/v2.0")));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Token(expires: DateTime.UtcNow.AddMinutes(-10))));
    }

    [Theory]
    [InlineData("v2", ClientId)]
    [InlineData("v1", "api://" + ClientId)]
    public async Task ATokenTheTenantIssuedForTheApiIsAccepted(string version, string audience)
    {
        var status = await CallWithAsync(Token(audience: audience, issuer: version == "v2" ? V2Issuer : V1Issuer));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task TheOpenApiDocumentNeedsAToken()
    {
        using var client = api.Host.Factory.CreateClient();

        using var anonymous = await client.GetAsync("/openapi/v1.json");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        using var signedIn = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task WithARequiredRoleOnlyAnAppGivenThatRoleMayCall()
    {
        await using var host = api.Start(requiredRole: "Vqa.Api.Call");

        var withoutRole = await CallWithAsync(Token(), host);
        var otherRole = await CallWithAsync(Token(roles: ["Something.Else"]), host);
        var withRole = await CallWithAsync(Token(roles: ["Vqa.Api.Call"]), host);

        Assert.Equal(HttpStatusCode.Forbidden, withoutRole);
        Assert.Equal(HttpStatusCode.Forbidden, otherRole);
        Assert.Equal(HttpStatusCode.OK, withRole);
    }

    private async Task<HttpStatusCode> CallWithAsync(string token, SecuredApiFactory? host = null)
    {
        using var client = (host ?? api.Host).Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(Protected);
        return response.StatusCode;
    }

    /// <summary>An app token as Entra ID issues one to the web's managed identity (client credentials), signed by <paramref name="signedBy"/>.</summary>
    private string Token(string? audience = null, string? issuer = null, SecurityKey? signedBy = null, DateTime? expires = null, string[]? roles = null)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(30);
        var claims = new Dictionary<string, object>
        {
            ["tid"] = TenantId,
            ["oid"] = "9f9f9f9f-0000-0000-0000-000000000001",
            ["azp"] = "web-managed-identity",
            ["idtyp"] = "app",
        };
        if (roles is not null)
        {
            claims["roles"] = roles;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? V2Issuer,
            Audience = audience ?? ClientId,
            IssuedAt = expiry.AddHours(-1),
            NotBefore = expiry.AddHours(-1),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(signedBy ?? api.TenantKey, SecurityAlgorithms.RsaSha256),
            Claims = claims,
        });
    }
}
