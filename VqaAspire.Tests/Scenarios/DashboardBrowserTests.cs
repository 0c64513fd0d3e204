using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// Headless Chromium over the whole running app, as a user clicks through it: the one-click sample pipeline from the
/// Home page to an evaluation showing numbers, followed live on the run page; every page opening without console
/// errors. Screenshots go to screenshots/ beside the test assembly.
/// </summary>
[Trait("Category", TestCategories.Browser)]
[Collection(SharedApp.Name)]
public sealed class DashboardBrowserTests(SharedAppFixture fixture) : WholeAppTest(fixture)
{
    /// <summary>Preparation, the emulator's fine-tune and the evaluation of about 480 examples by two models and a judge.</summary>
    private static readonly TimeSpan PipelineTimeout = TimeSpan.FromMinutes(4);
    // A page of a busy machine: up to three apps, their browsers and the unit tests share two cores.
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InteractiveRetry = TimeSpan.FromSeconds(3);
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [ChromiumFact]
    public async Task TheOneClickSamplePipelineReachesAnEvaluationPageShowingNumbers()
    {
        await WaitForSampleAsync();
        await using var browser = await BrowserSession.StartAsync(PageTimeout);
        var page = browser.Page;

        await page.GotoAsync(WebUrl("/"));
        // A Fluent web component: its text shows once the component has upgraded, so wait for it.
        await Assertions.Expect(page.Locator("[data-testid=emulated-label]")).ToHaveTextAsync("Emulator: not a real model");
        // The web follows the api's run change stream: pages update by it, not by polling.
        await Assertions.Expect(page.Locator("[data-testid=live-indicator]")).ToHaveTextAsync("Live", new() { Timeout = (float)PageTimeout.TotalMilliseconds });
        await ClickOnceInteractiveAsync(page, "[data-testid=run-sample-pipeline]", "**/runs/*");
        var runPath = new Uri(page.Url).AbsolutePath;
        await Screenshot(page, "run-started");

        // The run page follows the pipeline live (no reload) until the evaluation step links to its scores.
        var scores = page.Locator("[data-testid=step-evaluate] a[href^='/evaluations/']");
        await scores.WaitForAsync(new() { Timeout = (float)PipelineTimeout.TotalMilliseconds });
        await Screenshot(page, "run-evaluating");
        await scores.ClickAsync();
        await page.WaitForURLAsync("**/evaluations/*");

        var table = page.Locator("[data-testid=model-scores]");
        await table.WaitForAsync(new() { Timeout = (float)PipelineTimeout.TotalMilliseconds });
        var text = await table.InnerTextAsync();
        Assert.Contains("base", text);
        Assert.Contains("fine-tuned", text);
        Assert.Matches(@"\d+\.\d%", text);
        await page.Locator("[data-testid=example]").First.WaitForAsync(new() { Timeout = (float)PageTimeout.TotalMilliseconds });
        await Screenshot(page, "evaluation");

        // The run's fine-tune: the emulator's job with its curves and the table of the same numbers.
        await page.Locator($"main a[href='{runPath}']").First.ClickAsync();
        await page.Locator("[data-testid=step-fine-tune] a[href$='/fine-tune']").ClickAsync();
        await page.Locator("[data-testid=loss-chart] polyline").First.WaitForAsync();
        Assert.Contains("succeeded", await page.Locator("[data-testid=fine-tune-status]").InnerTextAsync());
        await Screenshot(page, "fine-tune");
        Assert.Empty(browser.ConsoleErrors);
    }

    [ChromiumFact]
    public async Task EveryPageOpensWithoutConsoleErrors()
    {
        await WaitForSampleAsync();
        using var api = fixture.CreateHttpClient("api");
        using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(10, 5, 5), Prompt: new PromptSettings(FewShotCount: 1)), Json);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;

        await using var browser = await BrowserSession.StartAsync(PageTimeout);
        await browser.Page.AddInitScriptAsync(RecordLoadingSpinners);
        string[] pages = ["/", "/datasets", "/datasets/sample", "/runs", "/runs/new", $"/runs/{run.Id}", "/fine-tunes", "/evaluations"];
        foreach (var path in pages)
        {
            await browser.Page.GotoAsync(WebUrl(path), new() { WaitUntil = WaitUntilState.NetworkIdle, Timeout = (float)PageTimeout.TotalMilliseconds });
            await browser.Page.Locator("h1").First.WaitForAsync();
            await WaitUntilInteractiveAsync(browser.Page);
            Assert.Empty(await browser.Page.Locator("[data-testid=load-error]").AllAsync());
            // The interactive render takes up what the prerender fetched: no spinner over content already shown.
            var spinners = await browser.Page.EvaluateAsync<string[]>("() => window.__vqaSpinners");
            Assert.True(spinners.Length == 0, $"{path} showed {string.Join(", ", spinners)} after its prerendered content");
            await Screenshot(browser.Page, path == "/" ? "home" : path.EndsWith(run.Id, StringComparison.Ordinal) ? "run-prepared" : path.Trim('/').Replace('/', '-'));
        }

        Assert.Empty(browser.ConsoleErrors);
    }

    /// <summary>Notes every "Loading …" spinner a page ever shows, from its first byte on, and keeps the prerendered heading.</summary>
    private const string RecordLoadingSpinners = """
        window.__vqaSpinners = [];
        document.addEventListener('DOMContentLoaded', () => { window.__vqaPrerenderedHeading = document.querySelector('h1'); });
        new MutationObserver(() => {
          for (const ring of document.querySelectorAll('fluent-progress-ring[aria-label^="Loading"]')) {
            const label = ring.getAttribute('aria-label');
            if (!window.__vqaSpinners.includes(label)) window.__vqaSpinners.push(label);
          }
        }).observe(document, { childList: true, subtree: true });
        """;

    /// <summary>
    /// The interactive render replaces the prerendered elements (Blazor does not adopt them): wait until the
    /// prerendered heading has left the document, then for the heading the circuit drew and its first refresh.
    /// </summary>
    private static async Task WaitUntilInteractiveAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.__vqaPrerenderedHeading && !window.__vqaPrerenderedHeading.isConnected",
            null, new() { Timeout = (float)PageTimeout.TotalMilliseconds });
        await page.Locator("h1").First.WaitForAsync();
        await page.WaitForTimeoutAsync(500);
    }

    /// <summary>A click before the page is interactive does nothing: click until the page navigates.</summary>
    private static async Task ClickOnceInteractiveAsync(IPage page, string selector, string urlAfter)
    {
        var deadline = DateTime.UtcNow + PageTimeout;
        while (true)
        {
            await page.Locator(selector).ClickAsync();
            try
            {
                await page.WaitForURLAsync(urlAfter, new() { Timeout = (float)InteractiveRetry.TotalMilliseconds });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Not interactive yet (the circuit was still connecting).
            }
        }
    }

    private string WebUrl(string path) => new Uri(fixture.App.GetEndpoint("web", "http"), path).ToString();

    private async Task WaitForSampleAsync()
    {
        using var api = fixture.CreateHttpClient("api");
        var sample = await Polling.WaitAsync(() => api.GetFromJsonAsync<DatasetSummary>("/api/datasets/sample", Json), d => d?.Status is "ready" or "failed");
        Assert.Equal("ready", sample!.Status);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });
    }
}
