using Bunit;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Pages;

namespace VqaAspire.Tests.Web;

/// <summary>The readings beyond the scores on the evaluation page (power, what the fine-tune changed, cost per point) and the New run form's power plan.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvaluationReadingsComponentTests : DashboardTestContext
{
    private static readonly PairedComparison SixPoints = new("base", "fine-tuned", "Exact match", "all", 398, 100, 6.0, 2.0, 10.0, "+6.0 points (95% CI +2.0 to +10.0)");

    [Fact]
    public void TheEvaluationPageShowsPowerWhatChangedAndCostPerPoint()
    {
        var evaluation = WebTestData.EvaluationWithHeadline(emulated: false, SixPoints);
        Api.Evaluations["eval-1"] = evaluation with
        {
            Summary = evaluation.Summary! with
            {
                Power = new PowerReading("base", "fine-tuned", 398, 100, 3.98, 0.21, 1.32, 7.9,
                    "With 398 paired examples on 100 covers (discordance 0.210, design effect 1.32), a true difference of 7.9 points or more is found 80% of the time (5% two-sided); a smaller one may go unseen."),
                Changes = new FineTuneChanges("base", "fine-tuned", 31, 7,
                    [new ChangeCount("Author", 12, 2), new ChangeCount("YesNo", 19, 5)],
                    [new ChangeCount("misread title or name", 9, 1), new ChangeCount("refusal or no yes/no word", 14, 0)],
                    [new ChangedExample("img7#q1", "Author", "fixed", "misread title or name", "sha7", "sha7", "Who wrote this book?", "J.K. Rowling", "J.K. Rowlin", "J.K. Rowling")],
                    "fine-tuned fixed 31 examples base got wrong and broke 7 it got right (net +24)."),
                CostPerPoint = new CostPerPoint("Exact match", 16.07m, 2.00m, 18.07m, 6.0, 2.0, 10.0, 3.01m, 1.81m, 9.04m, 1.70m,
                    "$3.01 per point of Exact match ($18.07: training $16.07, evaluation $2.00; 95% CI $1.81 to $9.04). Hosting the deployment costs $1.70 per hour while it exists."),
            },
        };

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        Assert.Contains("a true difference of 7.9 points or more is found 80% of the time", page.Find("[data-testid=minimum-detectable]").TextContent);
        Assert.Equal("fine-tuned fixed 31 examples base got wrong and broke 7 it got right (net +24).", page.Find("[data-testid=changes-reading]").TextContent);
        var byKind = page.FindAll("[data-testid=changes-by-kind] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(["Author122", "YesNo195"], byKind);
        Assert.Contains("misread title or name91", page.Find("[data-testid=changes-by-error]").TextContent);
        var changed = page.Find("[data-testid=changed-example]");
        Assert.Contains("J.K. Rowlin", changed.TextContent);
        Assert.Equal("/files/images/sha7?thumbnail=true", changed.QuerySelector("img")!.GetAttribute("src"));
        var cost = page.Find("[data-testid=cost-per-point-reading]").TextContent;
        Assert.Contains("$3.01 per point of Exact match", cost);
        Assert.Contains("95% CI $1.81 to $9.04", cost);
        Assert.Contains("$1.70 per hour", cost);
    }

    [Fact]
    public void AnEvaluationWithoutTheReadingsShowsNoEmptySections()
    {
        Api.Evaluations["eval-1"] = WebTestData.FinishedEvaluation();

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        Assert.Empty(page.FindAll("[data-testid=power]"));
        Assert.Empty(page.FindAll("[data-testid=fine-tune-changes]"));
        Assert.Empty(page.FindAll("[data-testid=cost-per-point]"));
    }

    [Fact]
    public void TheNewRunFormSaysHowManyTestCoversADifferenceNeedsAndUsesThem()
    {
        Api.Datasets.Add(new DatasetSummary("sample", "Sample covers", "sample", "datasets/sample", "ocr-vqa", "ready", 1, null, null, WebTestData.Started, WebTestData.Started,
            [new SplitStats("train", 200, 800, new Dictionary<string, int>(), null, null, 0), new SplitStats("test", 120, 480, new Dictionary<string, int>(), null, null, 0)], 0, []));
        var page = Render<NewRun>();

        page.Find("#power-difference").Change(10.0);
        page.Find("[data-testid=power-plan]").Click();

        page.WaitForAssertion(() => Assert.Contains("48 test covers (233 questions), 746 requests, about $1.95", page.Find("[data-testid=power-reading]").TextContent), WaitTimeout);
        var asked = Assert.Single(Api.PowerPlans);
        Assert.Equal((10.0, 6, "auto"), (asked.DifferencePoints, asked.FewShotCount, asked.Detail));
        Assert.Contains("discordance 0.2 (assumed)", page.Find("[data-testid=power-assumptions]").TextContent);

        page.Find("[data-testid=power-use]").Click();
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal(48, Assert.Single(Api.StartedRuns).Sampling!.Test), WaitTimeout);
    }
}
