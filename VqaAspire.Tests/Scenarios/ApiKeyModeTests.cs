using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Mvc;
using VqaAspire.Tests.Security;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// The whole app as a deployment runs it: api and web in the Production environment, ApiKey mode switched on through
/// the AppHost (<c>Auth:Mode</c> and the secret <c>vqa-access-key</c> parameter). The api wants the key on every call
/// but health; the web signs users in with it and passes it to the api.
/// </summary>
[Trait("Category", TestCategories.App)]
[Collection(SharedApp.Name)]
public sealed partial class ApiKeyModeTests(ApiKeyModeTests.ApiKeyAppFixture fixture) : WholeAppTest(fixture), IClassFixture<ApiKeyModeTests.ApiKeyAppFixture>
{
    public sealed class ApiKeyAppFixture : VqaAppFixture
    {
        public const string Key = "vqa-test-key-3f9a1c7e5b2d4e6f";

        protected override IEnumerable<string> Arguments => ["--Auth:Mode=ApiKey", $"--Parameters:vqa-access-key={Key}"];

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production");
            builder.CreateResourceBuilder<ProjectResource>("web").WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production");
        }

        /// <summary>A client of the web that keeps cookies and shows redirects instead of following them, as a test needs to see them.</summary>
        public HttpClient CreateBrowserLikeClient(string resource)
        {
            var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
            return new HttpClient(handler) { BaseAddress = App.GetEndpoint(resource, "http"), Timeout = RequestTimeout };
        }
    }

    private const string WrongKey = "not-the-key-0000000000";

    [Fact]
    public async Task TheApiAnswersOnlyWithTheAccessKey()
    {
        using var api = fixture.CreateBrowserLikeClient("api");

        using var without = await api.GetAsync("/api/status");
        using var wrong = await SendAsync(api, "/api/status", WrongKey);
        using var right = await SendAsync(api, "/api/status", ApiKeyAppFixture.Key);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        var problem = await without.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("Send the access key in the 'X-Api-Key' header.", problem!.Detail);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var wrongBody = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("was not accepted", wrongBody);
        Assert.DoesNotContain(WrongKey, wrongBody);
        Assert.DoesNotContain(ApiKeyAppFixture.Key, wrongBody);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("\"kind\":\"emulator\"", await right.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api/datasets")]
    [InlineData("/api/runs/changes")]
    [InlineData("/api/images/abc123")]
    public async Task EveryApiEndpointNeedsTheKey(string path)
    {
        using var api = fixture.CreateBrowserLikeClient("api");

        using var response = await api.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentAndTheChangeStreamOpenWithTheKey()
    {
        using var api = fixture.CreateBrowserLikeClient("api");

        using var document = await SendAsync(api, "/openapi/v1.json", ApiKeyAppFixture.Key);
        using var changes = await SendAsync(api, "/api/runs/changes", ApiKeyAppFixture.Key, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Contains("\"GetStatus\"", await document.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, changes.StatusCode);
        Assert.Equal("text/event-stream", changes.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("api", "/health")]
    [InlineData("api", "/alive")]
    [InlineData("web", "/health")]
    [InlineData("web", "/alive")]
    public async Task HealthStaysOpenForTheOrchestrator(string resource, string path)
    {
        using var client = fixture.CreateBrowserLikeClient(resource);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/", "/login?ReturnUrl=%2F")]
    [InlineData("/runs", "/login?ReturnUrl=%2Fruns")]
    [InlineData("/files/runs/run-1/train.jsonl", "/login?ReturnUrl=%2Ffiles%2Fruns%2Frun-1%2Ftrain.jsonl")]
    public async Task TheWebSendsAnonymousVisitorsToSignIn(string path, string expected)
    {
        using var web = fixture.CreateBrowserLikeClient("web");

        using var response = await web.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task TheSignInPageLoadsItsStylesBeforeSignIn()
    {
        using var web = fixture.CreateBrowserLikeClient("web");

        var html = await web.GetStringAsync("/login");
        // The files of the web's wwwroot. Built assets (packages' _content and _framework, the scoped styles bundle) are
        // in a published app's wwwroot; a build output run outside Development has no copy of them, signed in or not.
        var appStyles = AppStyles().Match(html).Groups["url"].Value;
        using var styles = await web.GetAsync("/" + appStyles);
        using var icon = await web.GetAsync("/favicon.svg");

        Assert.StartsWith("app.", appStyles);
        Assert.Equal(HttpStatusCode.OK, styles.StatusCode);
        Assert.Equal("text/css", styles.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
    }

    [Fact]
    public async Task AWrongKeyShowsAnErrorAndDoesNotSignIn()
    {
        using var web = fixture.CreateBrowserLikeClient("web");

        using var response = await SignInAsync(web, WrongKey, "/");
        var html = await response.Content.ReadAsStringAsync();
        using var home = await web.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", html);
        Assert.Contains("That access key is not right.", html);
        Assert.DoesNotContain(WrongKey, html);
        Assert.DoesNotContain(ApiKeyAppFixture.Key, html);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task TheRightKeySignsInAndTheHomePageShowsWhatTheApiAnswers()
    {
        using var web = fixture.CreateBrowserLikeClient("web");

        using var signIn = await SignInAsync(web, ApiKeyAppFixture.Key, "/runs");
        using var home = await web.GetAsync("/");
        var html = await home.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(web.BaseAddress!.Authority, signIn.Headers.Location?.Authority);
        Assert.Equal("/runs", signIn.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        // The status card is filled from the api's /api/status, which answers only with the key the web passes on.
        Assert.Matches("data-testid=\"provider-kind\"[^>]*>emulator<", html);
        Assert.DoesNotContain("The api does not answer", html);
        Assert.DoesNotContain(ApiKeyAppFixture.Key, html);
        Assert.Contains("data-testid=\"sign-out\"", html);
    }

    [Fact]
    public async Task EveryWayFromTheWebToTheApiCarriesTheKey()
    {
        using var web = fixture.CreateBrowserLikeClient("web");
        using var signIn = await SignInAsync(web, ApiKeyAppFixture.Key, "/");

        // The file pass-through: the api's own 404 for an image it never cached, not its 401.
        using var image = await web.GetAsync("/files/images/abc123");
        // The change feed: the header says Live once its stream to the api is open.
        var live = await Polling.WaitAsync(() => web.GetStringAsync("/"), html => LiveIndicator().Match(html).Groups["text"].Value.Trim() == "Live");

        Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
        Assert.Contains("Live", live);
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        using var web = fixture.CreateBrowserLikeClient("web");
        using var signIn = await SignInAsync(web, ApiKeyAppFixture.Key, "/");
        var home = await web.GetStringAsync("/");

        using var signOut = await web.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = SignInForm.AntiforgeryToken(home),
        }));
        using var after = await web.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", signOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task ASignInFromAnotherSiteIsRefused()
    {
        using var web = fixture.CreateBrowserLikeClient("web");

        // No antiforgery token: what a cross-site form would send.
        using var response = await web.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["AccessKey"] = ApiKeyAppFixture.Key,
        }));
        using var home = await web.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task AReturnUrlToAnotherSiteLandsOnTheHomePage()
    {
        using var web = fixture.CreateBrowserLikeClient("web");

        using var signIn = await SignInAsync(web, ApiKeyAppFixture.Key, "https://evil.example/");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(web.BaseAddress!.Authority, signIn.Headers.Location?.Authority);
        Assert.Equal("/", signIn.Headers.Location?.AbsolutePath);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string key,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request, completion);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient web, string key, string returnUrl) =>
        SignInForm.PostAsync(web, key, "/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));

    [GeneratedRegex("href=\"(?<url>app\\.[^\"]*css)\"")]
    private static partial Regex AppStyles();

    [GeneratedRegex("data-testid=\"live-indicator\"[^>]*>(?<text>[^<]*)<")]
    private static partial Regex LiveIndicator();
}
