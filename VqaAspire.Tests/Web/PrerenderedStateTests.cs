using Bunit;
using VqaAspire.Contracts;
using VqaAspire.Web.Components;
using VqaAspire.Web.Components.Pages;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Web;

/// <summary>
/// A page opened by its address is rendered twice: once on the server (prerender), then again once the browser's
/// circuit is up. The second render takes up what the first fetched, so the page neither flashes a spinner over the
/// content already shown nor asks the api twice, and still refetches when the data may have moved on.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PrerenderedStateTests : DashboardTestContext
{
    private const string Scores = "[data-testid=step-evaluate] a[href='/evaluations/eval-1']";

    [Fact]
    public async Task AFinishedRunOpensFromItsPrerenderWithoutAskingTheApiAgainAndStaysLive()
    {
        GivenAFinishedRun();
        await PrerenderRunPageAsync();
        var readsByPrerender = Api.RunReads;

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        // The evaluation's link is there at the first interactive render: no spinner in between.
        Assert.NotNull(page.Find(Scores));
        Assert.Empty(page.FindAll("fluent-progress-ring"));
        Assert.Equal(readsByPrerender, Api.RunReads);

        Feed.Publish("run-1");
        page.WaitForAssertion(() => Assert.Equal(readsByPrerender + 1, Api.RunReads), WaitTimeout);
    }

    [Fact]
    public async Task ARunStillGoingIsFetchedOnceMoreAsSoonAsThePageIsInteractive()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with { Upload = new RunStep(StepStatus.Succeeded, 1), FineTuneStep = new RunStep(StepStatus.Running, 0.4, "Step 12 of 30") };
        await PrerenderRunPageAsync();
        var readsByPrerender = Api.RunReads;
        Api.Runs["run-1"] = Api.Runs["run-1"] with { FineTuneStep = new RunStep(StepStatus.Running, 0.6, "Step 18 of 30") };

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        // Sooner than the slow poll a page falls back on while the feed is down (as it is here) would come.
        var beforeFallbackPoll = LivePage<Run.Fetched>.FallbackPollInterval - TimeSpan.FromSeconds(1);
        page.WaitForAssertion(() => Assert.Contains("Step 18 of 30", page.Find("[data-testid=step-fine-tune]").TextContent), beforeFallbackPoll);
        Assert.Equal(readsByPrerender + 1, Api.RunReads);
    }

    [Fact]
    public async Task AChangeReportedBetweenThePrerenderAndTheInteractiveRenderIsFetched()
    {
        GivenAFinishedRun();
        await PrerenderRunPageAsync();
        var readsByPrerender = Api.RunReads;
        Api.Runs["run-1"] = Api.Runs["run-1"] with { LatestEvaluationId = "eval-2" };
        Api.Evaluations["eval-2"] = WebTestData.FinishedEvaluation() with { Id = "eval-2" };
        Feed.Publish("run-1");

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=step-evaluate] a[href='/evaluations/eval-2']")), WaitTimeout);
        Assert.Equal(readsByPrerender + 1, Api.RunReads);
    }

    [Fact]
    public async Task AFailedPrerenderIsNotCarriedOverTheInteractiveRenderAsksAgain()
    {
        GivenAFinishedRun();
        Api.Failure = new HttpRequestException("Connection refused (api:8080)");
        await PrerenderRunPageAsync();
        Api.Failure = null;

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find(Scores)), WaitTimeout);
        Assert.Empty(page.FindAll("[data-testid=load-error]"));
    }

    [Fact]
    public async Task ListPagesCarryTheirRowsOver()
    {
        GivenAFinishedRun();
        var prerender = Render<Evaluations>();
        Assert.Contains("eval-1", prerender.Markup);
        PrerenderState.TriggerOnPersisting();
        await DisposeComponentsAsync();
        Api.Evaluations.Clear();

        // The api now has none, so the row can only have come from the prerender.
        var page = Render<Evaluations>();

        Assert.Contains("eval-1", page.Markup);
    }

    [Fact]
    public async Task DataTooBigToRideAlongIsLoadedAgainRatherThanOverflowingTheCircuitsFirstMessage()
    {
        var evaluation = WebTestData.FinishedEvaluation();
        for (var i = 0; i < 400; i++)
        {
            Api.Evaluations[$"eval-{i}"] = evaluation with { Id = $"eval-{i}" };
        }

        Render<Evaluations>();
        PrerenderState.TriggerOnPersisting();
        await DisposeComponentsAsync();
        Api.Evaluations.Clear();
        Api.Evaluations["eval-new"] = evaluation with { Id = "eval-new" };

        var page = Render<Evaluations>();

        Assert.Contains("eval-new", page.Markup);
        Assert.DoesNotContain("eval-399", page.Markup);
    }

    [Fact]
    public async Task HomeShowsTheStatusItsPrerenderReadWithoutReadingItAgain()
    {
        Render<Home>();
        PrerenderState.TriggerOnPersisting();
        await DisposeComponentsAsync();
        Api.Status = Api.Status with { Provider = Api.Status.Provider with { Kind = "openai" } };

        var page = Render<Home>();

        // A second read would show "openai"; the next one comes with the page's 3-second refresh.
        Assert.Equal("emulator", page.Find("[data-testid=provider-kind]").TextContent.Trim());
    }

    private void GivenAFinishedRun()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with
        {
            Upload = new RunStep(StepStatus.Succeeded, 1),
            FineTuneStep = new RunStep(StepStatus.Succeeded, 1),
            LatestEvaluationId = "eval-1",
        };
        Api.Evaluations["eval-1"] = WebTestData.FinishedEvaluation();
    }

    /// <summary>Renders the page as the server's prerender does, hands its state over, and throws the render away.</summary>
    private async Task PrerenderRunPageAsync()
    {
        // The fake api answers at once, so the render below has loaded (or failed to) when it returns.
        Render<Run>(p => p.Add(x => x.Id, "run-1"));
        PrerenderState.TriggerOnPersisting();
        await DisposeComponentsAsync();
    }
}
