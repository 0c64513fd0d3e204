using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Security;
using WebEntryPoint = VqaAspire.Web.Services.VqaApiClient;

namespace VqaAspire.Tests.Security;

/// <summary>
/// Guessing the access key at speed: past the limit of sign-in attempts a client gets a 429 page that says to wait,
/// counted per client address (the forwarded one behind a proxy), while another client can still sign in.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SignInRateLimitTests
{
    private const string Key = "rate-limit-access-key-7d2e9a";
    private const int Attempts = 3;

    [Fact]
    public async Task PastTheLimitAClientIsToldToWaitAndAnotherClientStillSignsIn()
    {
        await using var factory = new WebApplicationFactory<WebEntryPoint>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            host.UseSetting("Auth:Mode", "ApiKey");
            host.UseSetting("Auth:ApiKey", Key);
            host.UseSetting("SignIn:AttemptsPerMinute", Attempts.ToString());
            // As the AppHost sets it when published: the client's address is the last X-Forwarded-For hop.
            host.UseSetting("FORWARDEDHEADERS_ENABLED", "true");
        });
        using var guesser = Client(factory, "203.0.113.7");
        using var user = Client(factory, "198.51.100.4");

        var refused = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            using var wrong = await SignInForm.PostAsync(guesser, $"wrong-key-{attempt}-0000000");
            refused.Add(wrong.StatusCode);
        }

        using var limited = await SignInForm.PostAsync(guesser, Key);
        var page = await limited.Content.ReadAsStringAsync();
        using var signedIn = await SignInForm.PostAsync(user, Key);

        Assert.All(refused, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Too many sign-in attempts from your address", page);
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, SignInRateLimiting.Window.TotalSeconds);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task ReadingTheSignInPageIsNotCounted()
    {
        await using var factory = new WebApplicationFactory<WebEntryPoint>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            host.UseSetting("Auth:Mode", "ApiKey");
            host.UseSetting("Auth:ApiKey", Key);
            host.UseSetting("SignIn:AttemptsPerMinute", "1");
        });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var visit = 0; visit < 5; visit++)
        {
            using var response = await client.GetAsync("/login");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static HttpClient Client(WebApplicationFactory<WebEntryPoint> factory, string address)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}
