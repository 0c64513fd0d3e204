using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// Signing in to the dashboard in a real browser, with the access key switched on through the AppHost as a deployment
/// has it: the sign-in page first, a wrong key refused, the right one opening live pages whose data the web fetched from
/// the api with the key, still open after the web restarts, and sign-out closing them again.
/// </summary>
[Trait("Category", TestCategories.Browser)]
[Collection(WholeAppCollections.First)]
public sealed class SignInBrowserTests(SignInBrowserTests.SignInFixture fixture) : WholeAppTest(fixture), IClassFixture<SignInBrowserTests.SignInFixture>
{
    // A page of a busy machine: up to three apps, their browsers and the unit tests share two cores.
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    public sealed class SignInFixture : VqaAppFixture
    {
        public const string Key = "vqa-browser-key-8c1d5e9f2a7b";

        // Development keeps the static assets the test host serves; the mode is set explicitly, as the AppHost lets one.
        protected override IEnumerable<string> Arguments => ["--Auth:Mode=ApiKey", $"--Parameters:vqa-access-key={Key}"];

        /// <summary>The web's home folder, where ASP.NET would keep its keys by default; a container loses it on restart.</summary>
        public string WebHome => Path.Combine(Path.GetDirectoryName(WorkspaceRoot)!, "web-home");

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            Directory.CreateDirectory(WebHome);
            builder.CreateResourceBuilder<ProjectResource>("web").WithEnvironment("HOME", WebHome);
        }
    }

    [ChromiumFact]
    public async Task AUserSignsInWithTheAccessKeyStaysSignedInAcrossAWebRestartAndSignsOut()
    {
        await using var browser = await BrowserSession.StartAsync(PageTimeout);
        var page = browser.Page;

        await page.GotoAsync(WebUrl("/runs"));
        await page.WaitForURLAsync("**/login?ReturnUrl=%2Fruns");
        await Assertions.Expect(page.Locator("[data-testid=login-form]")).ToBeVisibleAsync();

        await page.FillAsync("#access-key", "not-the-access-key-000");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();
        Assert.DoesNotContain("not-the-access-key-000", await page.ContentAsync());

        await page.FillAsync("#access-key", SignInFixture.Key);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/runs");
        await page.GotoAsync(WebUrl("/"));
        // The home page shows the api's status, and the change feed (the web's own stream from the api) is live.
        // A Fluent web component: its text shows once the component has upgraded, so wait for it.
        await Assertions.Expect(page.Locator("[data-testid=emulated-label]")).ToHaveTextAsync("Emulator: not a real model");
        await Assertions.Expect(page.Locator("[data-testid=live-indicator]")).ToHaveTextAsync("Live", new() { Timeout = (float)PageTimeout.TotalMilliseconds });

        await page.GotoAsync(WebUrl("/datasets"));
        await Assertions.Expect(page.Locator("[data-testid=datasets]")).ToContainTextAsync("sample");
        Assert.DoesNotContain(SignInFixture.Key, await page.ContentAsync());

        // The tab is closed; the web crashes and comes back with an empty disk, as a container does. A new tab of the same
        // browser is still signed in: the keys of its cookie are in the cache.
        await page.CloseAsync();
        await fixture.KillAndRestartAsync("web", whileStopped: () =>
        {
            Directory.Delete(fixture.WebHome, recursive: true);
            Directory.CreateDirectory(fixture.WebHome);
        });
        page = await browser.OpenTabAsync();
        await page.GotoAsync(WebUrl("/runs/new"));
        Assert.EndsWith("/runs/new", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("[data-testid=sign-out]")).ToBeVisibleAsync();

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync("**/login**");
        await page.GotoAsync(WebUrl("/datasets"));
        await page.WaitForURLAsync("**/login?ReturnUrl=%2Fdatasets");
        Assert.Empty(browser.ConsoleErrors);
    }

    private string WebUrl(string path) => new Uri(fixture.App.GetEndpoint("web", "http"), path).ToString();
}
