using Microsoft.Playwright;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// Playwright, Chromium and one user's browser (one context, so its tabs share cookies), collecting console errors and
/// uncaught page errors of every tab.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;
    private readonly TimeSpan _pageTimeout;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, TimeSpan pageTimeout) =>
        (_playwright, _browser, _context, _pageTimeout) = (playwright, browser, context, pageTimeout);

    /// <summary>The first tab.</summary>
    public IPage Page { get; private set; } = null!;

    public List<string> ConsoleErrors { get; } = [];

    /// <summary>A desktop browser (1280x900), or one of the size given: 390x844 is a phone.</summary>
    public static async Task<BrowserSession> StartAsync(TimeSpan pageTimeout, int width = 1280, int height = 900)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = RequiredTools.ChromiumPath,
            Headless = true,
            Args = RequiredTools.ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var session = new BrowserSession(playwright, browser, context, pageTimeout);
        session.Page = await session.OpenTabAsync();
        return session;
    }

    /// <summary>Another tab of the same browser: same cookies, errors collected the same way.</summary>
    public async Task<IPage> OpenTabAsync()
    {
        var page = await _context.NewPageAsync();
        page.SetDefaultTimeout((float)_pageTimeout.TotalMilliseconds);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => ConsoleErrors.Add($"{page.Url}: {error}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
