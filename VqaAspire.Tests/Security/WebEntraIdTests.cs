using System.Net;
using Azure.Core;
using Azure.Identity;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using VqaAspire.ServiceDefaults;
using VqaAspire.Web.Security;
using WebEntryPoint = VqaAspire.Web.Services.VqaApiClient;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Security;

/// <summary>
/// The web in EntraId mode, offline: a visitor is sent to the tenant's sign-in, and the api clients carry an app token
/// for the api's scope. Entra ID itself (the sign-in, managed identity) cannot be reached from here.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WebEntraIdTests
{
    private const string TenantId = "0a0b0c0d-1111-2222-3333-444455556666";
    private const string ClientId = "5e6f7a8b-aaaa-bbbb-cccc-ddddeeeeffff";

    [Fact]
    public async Task AVisitorIsSentToTheTenantsSignIn()
    {
        await using var factory = new WebApplicationFactory<WebEntryPoint>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            host.UseSetting("Auth:Mode", "EntraId");
            host.UseSetting("Auth:EntraId:TenantId", TenantId);
            host.UseSetting("Auth:EntraId:ClientId", ClientId);
            host.ConfigureTestServices(services =>
            {
                services.AddSingleton<TokenCredential>(new FixedCredential());
                services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
                    // What the web would read from the tenant's metadata document.
                    options.Configuration = new OpenIdConnectConfiguration
                    {
                        Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0",
                        AuthorizationEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize",
                    });
            });
        });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var page = await client.GetAsync("/runs");
        using var health = await client.GetAsync("/health");
        var location = page.Headers.Location!;
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal($"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize", location.GetLeftPart(UriPartial.Path));
        Assert.Equal(ClientId, query["client_id"]);
        Assert.Equal("id_token", query["response_type"]);
        Assert.EndsWith("/signin-oidc", query["redirect_uri"]);
        Assert.Contains("openid", query["scope"]);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task TheApiClientsCarryAnAppTokenForTheApiScopeAskedForOnce()
    {
        var credential = new FixedCredential();
        using var api = Client(credential, out var seen);

        await api.GetAsync("/api/status");
        await api.GetAsync("/api/runs");

        Assert.Equal(["Bearer app-token-1", "Bearer app-token-1"], seen);
        Assert.Equal([$"api://{ClientId}/.default"], credential.Scopes);
    }

    [Fact]
    public async Task ATokenThatCannotBeHadIsAnApiThatCannotBeReached()
    {
        using var api = Client(new FixedCredential(fail: true), out _);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => api.GetAsync("/api/status"));

        Assert.Contains($"api://{ClientId}/.default", error.Message);
    }

    private static HttpClient Client(TokenCredential credential, out List<string> seen)
    {
        var settings = AuthSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "EntraId",
            ["Auth:EntraId:TenantId"] = TenantId,
            ["Auth:EntraId:ClientId"] = ClientId,
        }).Build(), new AuthStartupTests.Environment("Production"));
        var services = new ServiceCollection().AddSingleton(settings).AddSingleton(credential).AddSingleton<ApiAccessTokens>().BuildServiceProvider();
        var recorder = new Recorder();
        seen = recorder.Authorizations;
        return new HttpClient(new ApiCredentialHandler(settings, services) { InnerHandler = recorder }) { BaseAddress = new Uri("http://api") };
    }

    private sealed class Recorder : HttpMessageHandler
    {
        public List<string> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString() ?? "");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    /// <summary>Stands in for the managed identity: one token valid for an hour, or the failure of a machine without one.</summary>
    private sealed class FixedCredential(bool fail = false) : TokenCredential
    {
        private int _issued;

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return fail
                ? throw new CredentialUnavailableException("No managed identity endpoint found.")
                : ValueTask.FromResult(new AccessToken($"app-token-{++_issued}", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
