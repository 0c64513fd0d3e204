using Microsoft.Playwright;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// The web's security headers in a real browser: every main page (and the sign-in page) comes with a content security
/// policy, no framing, nosniff and a referrer policy, and still works under them: the page turns interactive (the
/// circuit's websocket is allowed) with no console error, which is where a blocked script, style or connection shows.
/// </summary>
[Trait("Category", TestCategories.Browser)]
[Collection(SharedApp.Name)]
public sealed class SecurityHeadersBrowserTests(SharedAppFixture fixture) : WholeAppTest(fixture)
{
    // A page of a busy machine: up to three apps, their browsers and the unit tests share two cores.
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] MainPages = ["/", "/datasets", "/datasets/sample", "/runs", "/runs/new", "/evaluations", "/fine-tunes", "/playground", "/login"];

    [ChromiumFact]
    public async Task EveryMainPageIsSentWithTheHeadersAndWorksUnderThem()
    {
        await using var browser = await BrowserSession.StartAsync(PageTimeout);
        var page = browser.Page;
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        foreach (var path in MainPages)
        {
            var response = await page.GotoAsync(WebUrl(path), new() { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.NotNull(response);
            var headers = await response.AllHeadersAsync();

            var policy = headers["content-security-policy"];
            Assert.Contains("default-src 'self'", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("'unsafe-eval'", policy);
            Assert.Matches("script-src 'self' 'nonce-[^']+'", policy);
            Assert.Equal("DENY", headers["x-frame-options"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            Assert.Equal("strict-origin-when-cross-origin", headers["referrer-policy"]);

            if (path != "/login")
            {
                // The page went interactive: Blazor's circuit (a websocket under connect-src) is up and Fluent UI has upgraded.
                await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
                await page.WaitForFunctionAsync("() => window.Blazor !== undefined && customElements.get('fluent-button') !== undefined");
            }
        }

        Assert.Empty(violations);
        Assert.Empty(browser.ConsoleErrors);
    }

    [ChromiumFact]
    public async Task ThePagesCannotBeFramedByAnotherSite()
    {
        await using var browser = await BrowserSession.StartAsync(PageTimeout);
        var page = browser.Page;
        var blocked = new List<string>();
        page.Console += (_, message) => blocked.Add(message.Text);

        // A page of another origin (about:blank with a frame) trying to show the dashboard inside it.
        await page.SetContentAsync($"<iframe id=\"framed\" src=\"{WebUrl("/")}\"></iframe>");
        await page.WaitForTimeoutAsync(2000);
        var frame = page.Frames.FirstOrDefault(f => f != page.MainFrame);

        Assert.True(frame is null || !(await frame.ContentAsync()).Contains("VqaAspire", StringComparison.Ordinal),
            "The dashboard rendered inside another site's frame.");
        Assert.Contains(blocked, text => text.Contains("frame-ancestors", StringComparison.OrdinalIgnoreCase)
            || text.Contains("X-Frame-Options", StringComparison.OrdinalIgnoreCase));
    }

    private string WebUrl(string path) => new Uri(Fixture.App.GetEndpoint("web", "http"), path).ToString();
}
