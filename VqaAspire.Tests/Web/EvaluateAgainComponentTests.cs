using Bunit;
using Microsoft.AspNetCore.Components;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Pages;
using EvaluationPage = VqaAspire.Web.Components.Pages.Evaluation;

namespace VqaAspire.Tests.Web;

/// <summary>
/// A run evaluated once (by the one-click pipeline, or stopped by a cancel) can be evaluated again from the run page
/// and the evaluation page, with the latest settings to edit; a run's evaluations are compared side by side.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvaluateAgainComponentTests : DashboardTestContext
{
    [Fact]
    public void APipelineRunOffersANewEvaluationWithTheLatestSettingsAndOpensIt()
    {
        Api.Runs["run-1"] = PipelineRun();
        Api.Evaluations["eval-1"] = WebTestData.FinishedEvaluation() with { Settings = new EvaluationRequest(ZeroShot: true, JudgeModel: "gpt-4o-mini", MaxConcurrency: 4) };

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        Assert.Empty(page.FindAll("[data-testid=evaluate]"));
        Assert.Equal("gpt-4o-mini", page.Find("#eval-judge").GetAttribute("value"));
        page.Find("[data-testid=start-new-evaluation]").Click();

        page.WaitForAssertion(() => Assert.EndsWith("/evaluations/eval-2", Services.GetRequiredService<NavigationManager>().Uri), WaitTimeout);
        var (runId, request) = Assert.Single(Api.StartedEvaluations);
        Assert.Equal("run-1", runId);
        Assert.True(request.ZeroShot);
        Assert.Equal("gpt-4o-mini", request.JudgeModel);
        Assert.Equal(4, request.MaxConcurrency);
    }

    [Fact]
    public void NoNewEvaluationIsOfferedWhileOneRuns()
    {
        Api.Runs["run-1"] = PipelineRun();
        Api.Evaluations["eval-1"] = WebTestData.FinishedEvaluation() with { Step = new RunStep(StepStatus.Running, 0.3) };

        var run = Render<Run>(p => p.Add(x => x.Id, "run-1"));
        var evaluation = Render<EvaluationPage>(p => p.Add(x => x.Id, "eval-1"));

        Assert.Empty(run.FindAll("[data-testid=new-evaluation]"));
        Assert.Empty(evaluation.FindAll("[data-testid=new-evaluation]"));
    }

    [Fact]
    public void ACancelledEvaluationSaysWhatANewOneDoesAboutTheUnansweredAndStartsOne()
    {
        Api.Runs["run-1"] = PipelineRun();
        var finished = WebTestData.FinishedEvaluation();
        Api.Evaluations["eval-1"] = finished with
        {
            Step = new RunStep(StepStatus.Cancelled, 0.6, "Cancelled"),
            Summary = finished.Summary! with { Models = [finished.Summary.Models[0] with { Failed = 120 }, finished.Summary.Models[1] with { Failed = 40 }] },
        };

        var page = Render<EvaluationPage>(p => p.Add(x => x.Id, "eval-1"));

        Assert.Contains("160 answers are missing from eval-1. A new evaluation asks every question again", page.Find("[data-testid=unanswered-note]").TextContent);
        page.Find("[data-testid=start-new-evaluation]").Click();
        page.WaitForAssertion(() => Assert.EndsWith("/evaluations/eval-2", Services.GetRequiredService<NavigationManager>().Uri), WaitTimeout);
        Assert.Equal("run-1", Assert.Single(Api.StartedEvaluations).RunId);
    }

    [Fact]
    public void ARunsEvaluationsAreComparedSideBySideWithScoresDifferencesAndVerdicts()
    {
        Api.Runs["run-1"] = PipelineRun();
        var first = WebTestData.EvaluationWithHeadline(emulated: false, new PairedComparison("base", "fine-tuned", "VQA accuracy", "all", 398, 100, 4.2, 1.1, 7.3, "+4.2 points (95% CI +1.1 to +7.3)"));
        Api.Evaluations["eval-1"] = first;
        Api.Evaluations["eval-2"] = first with
        {
            Id = "eval-2",
            CreatedAt = WebTestData.Started.AddHours(2),
            Settings = new EvaluationRequest(ZeroShot: true),
            Summary = first.Summary! with { Models = [.. first.Summary.Models.Select(m => m with { Overall = m.Overall with { Metric = m.Overall.Metric! with { Value = m.Overall.Metric.Value - 0.1 } } })] },
        };

        var run = Render<Run>(p => p.Add(x => x.Id, "run-1"));
        var evaluation = Render<EvaluationPage>(p => p.Add(x => x.Id, "eval-1"));

        foreach (var rows in new[] { run.FindAll("[data-testid=compared-evaluation]"), evaluation.FindAll("[data-testid=compared-evaluation]") })
        {
            Assert.Equal(2, rows.Count);
            // Newest first, each with its settings, each model's score and interval, the difference and its reading.
            Assert.Contains("eval-2", rows[0].TextContent);
            Assert.Contains("zero-shot", rows[0].TextContent);
            Assert.Contains("few-shot", rows[1].TextContent);
            Assert.Contains("base 41.2%", Normalise(rows[0].QuerySelector("[data-testid=compared-scores]")!.TextContent));
            Assert.Contains("base 51.2%", Normalise(rows[1].QuerySelector("[data-testid=compared-scores]")!.TextContent));
            Assert.Contains("fine-tuned − base: +4.2 pt [+1.1 pt, +7.3 pt]", Normalise(rows[1].QuerySelector("[data-testid=compared-differences]")!.TextContent));
            Assert.False(string.IsNullOrWhiteSpace(rows[1].QuerySelector("[data-testid=compared-verdict]")!.TextContent));
        }

        Assert.Contains("(this one)", evaluation.FindAll("[data-testid=compared-evaluation]")[1].TextContent);
    }

    /// <summary>A one-click pipeline run that prepared, fine-tuned and evaluated (eval-1).</summary>
    private static RunView PipelineRun() => WebTestData.PreparedRun() with
    {
        Settings = new PrepareRequest("sample", Continue: new PipelineContinuation(new FineTuneRequest(), new EvaluationRequest())),
        Upload = new RunStep(StepStatus.Succeeded, 1),
        FineTuneStep = new RunStep(StepStatus.Succeeded, 1),
        LatestEvaluationId = "eval-1",
    };

    private static string Normalise(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
