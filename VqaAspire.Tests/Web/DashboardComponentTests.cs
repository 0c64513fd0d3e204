using Bunit;
using Microsoft.AspNetCore.Components;
using VqaAspire.Contracts;
using VqaAspire.Web.Components.Pages;
using VqaAspire.Web.Services;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Web;

/// <summary>The dashboard's pages rendered with bUnit against a fake api: what a user sees, and what their clicks send.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class DashboardComponentTests : DashboardTestContext
{
    [Fact]
    public void HomeLabelsTheEmulatorAndOneClickStartsTheCookbookPipelineThenLandsOnTheRun()
    {
        var home = Render<Home>();

        Assert.Equal("Emulator: not a real model", home.Find("[data-testid=emulated-label]").TextContent.Trim());
        home.Find("[data-testid=run-sample-pipeline]").Click();

        home.WaitForAssertion(() => Assert.EndsWith("/runs/run-1", Services.GetRequiredService<NavigationManager>().Uri), WaitTimeout);
        var request = Assert.Single(Api.StartedRuns);
        Assert.Equal("sample", request.DatasetId);
        Assert.Null(request.Sampling); // The api's defaults are the notebook's 150/50/100.
        Assert.NotNull(request.Continue?.FineTune);
        Assert.NotNull(request.Continue?.Evaluate);
    }

    [Fact]
    public void RunPageShowsTheFourStepsWithProgressTraceLinkPreflightEstimateAndDownloads()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun();

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        var steps = page.FindAll(".step");
        Assert.Equal(["Prepare", "Upload", "Fine-tune", "Evaluate"], steps.Select(s => s.QuerySelector("strong")!.TextContent));
        Assert.Equal("http://localhost:15080/traces/detail/4bf92f3577b34da6a3ce929d0e0e4736",
            page.Find("[data-testid=step-prepare] [data-testid=trace-link]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=step-upload] [data-testid=trace-link]"));
        Assert.Contains("612", page.Find("[data-testid=preflight]").TextContent);
        Assert.Contains("$16.07", page.Find("[data-testid=estimate]").TextContent);
        Assert.Contains(page.FindAll("a[download]"), a => a.GetAttribute("href") == "/files/runs/run-1/train.jsonl");
        Assert.NotEmpty(page.FindAll("[data-testid=start-fine-tune]"));
    }

    [Fact]
    public void RunPageListsPerLineErrorsAndOffersNoFineTuneWhenAFileIsInvalid()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun(trainErrors: new ValidationError(17, "img4#q1", "too_many_images", "Line 17 has 11 images; the limit is 10."));

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        Assert.Contains("Line 17 has 11 images", page.Markup);
        Assert.Contains("too_many_images", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=start-fine-tune]"));
    }

    [Fact]
    public void RunPageStartsTheFineTuneWhenAsked()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun();
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        page.Find("[data-testid=start-fine-tune]").Click();

        page.WaitForAssertion(() => Assert.Equal(["run-1"], Api.StartedFineTunes), WaitTimeout);
    }

    [Fact]
    public void TraceLinksAreHiddenWhenTheDashboardAddressIsUnknown()
    {
        Services.AddSingleton(new AspireDashboardLinks(null));
        Api.Runs["run-1"] = WebTestData.PreparedRun();

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        Assert.Empty(page.FindAll("[data-testid=trace-link]"));
    }

    [Fact]
    public void RunPageRedrawsWhenTheFeedReportsItsRunAndIgnoresOtherRuns()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun();
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));
        var readsAfterRender = Api.RunReads;

        Feed.Publish("someone-else");
        Api.Runs["run-1"] = Api.Runs["run-1"] with { Upload = new RunStep(StepStatus.Succeeded, 1), FineTuneStep = new RunStep(StepStatus.Running, 0.4, "Step 12 of 30") };
        Feed.Publish("run-1");

        page.WaitForAssertion(() => Assert.Contains("Step 12 of 30", page.Find("[data-testid=step-fine-tune]").TextContent), WaitTimeout);
        Assert.Equal(readsAfterRender + 1, Api.RunReads);
        Assert.NotEmpty(page.FindAll("[data-testid=cancel]"));
    }

    [Fact]
    public void EvaluationPageShowsAccuracyWithIntervalsPairedTestJudgeRatingsAndTheExamples()
    {
        Api.Evaluations["eval-1"] = WebTestData.FinishedEvaluation();
        Api.Examples.Add(new ExampleResult("img1#q0", "YesNo", "Is this a novel?", "yes", "abc123",
            [new ModelAnswer("base", "no", null, false, false, null, null), new ModelAnswer("fine-tuned", "yes", null, true, true, null, null)]));

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        var scores = page.Find("[data-testid=model-scores]").TextContent;
        Assert.Contains("61.2% [55.0%, 67.0%]", scores);
        Assert.Contains("83.4% [79.0%, 87.0%]", scores);
        // Emulated: the paired test reads as a pipeline check and never names a better model (the issue "Evaluation a user can trust").
        Assert.DoesNotContain("is better", page.Find("[data-testid=paired-tests]").TextContent);
        Assert.Contains("pipeline check", page.Find("[data-testid=paired-tests]").TextContent);
        Assert.Contains("< 0.001", page.Find("[data-testid=paired-tests]").TextContent);
        // The emulator's judge measures string similarity: its ratings are named so, not as the rubric's verdicts.
        Assert.Contains("string similarity high", page.Find("[data-testid=rating-chart] table").TextContent);
        Assert.Equal(8, page.FindAll("[data-testid=overall-chart] rect").Count); // 2 models x 4 measures.
        Assert.Equal("Emulator: not a real model", page.Find("[data-testid=emulated-label]").TextContent.Trim());
        page.WaitForAssertion(() =>
        {
            var example = page.Find("[data-testid=example]");
            Assert.Contains("Is this a novel?", example.TextContent);
            Assert.Equal("Cover of image img1", example.QuerySelector("img")!.GetAttribute("alt"));
            Assert.Equal("/files/images/abc123?thumbnail=true", example.QuerySelector("img")!.GetAttribute("src"));
        }, WaitTimeout);
    }

    [Fact]
    public void EvaluationPageShowsTheJudgesExplanationAndWarnings()
    {
        var evaluation = WebTestData.FinishedEvaluation();
        // A real judge graded (the emulator's string similarity is shown apart: EmulatedJudgeGradesComponentTests).
        Api.Evaluations["eval-1"] = evaluation with { Summary = evaluation.Summary! with { Warnings = ["The judge grades its own answers."], JudgedBy = new JudgedBy("gpt-4o", null, [], false) } };
        Api.Examples.Add(new ExampleResult("img1#q1", "Author", "Who wrote this book?", "Jane Austen", null,
            [new ModelAnswer("base", "Jane Austin", null, null, false, 0.9, "Mostly Similar", "The surname is misspelled.")]));

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        Assert.Contains("The judge grades its own answers.", page.Find("[data-testid=evaluation-warnings]").TextContent);
        page.WaitForAssertion(() => Assert.Contains("The surname is misspelled.", page.Find("[data-testid=judge-explanation]").TextContent), WaitTimeout);
        // The grade in a word and a colour: Mostly Similar is the amber of "partly right", not grey.
        var grade = page.Find("[data-testid=grade]");
        Assert.Equal("Mostly Similar", grade.TextContent.Trim());
        Assert.Contains("badge-warning", grade.ClassList);
    }

    [Fact]
    public void FineTunePageShowsTheCurvesAndATableOfTheSameNumbers()
    {
        var run = WebTestData.PreparedRun();
        Api.Runs["run-1"] = run with
        {
            FineTuneStep = new RunStep(StepStatus.Running, 0.5),
            FineTune = new FineTuneView("ftjob-1", "gpt-4o-2024-08-06", "running", null, ["file-1"], "epochs=3", null, null, WebTestData.Started, null, null, [], false, null, new FineTuneRequest()),
        };
        Api.Metrics.AddRange([new FineTunePoint(1, 2.5, 0.3, 2.7, 0.25), new FineTunePoint(2, 1.25, 0.6, 1.5, 0.5)]);

        var page = Render<FineTune>(p => p.Add(x => x.Id, "run-1"));

        Assert.Equal(2, page.FindAll("[data-testid=loss-chart] polyline").Count);
        var table = page.Find("[data-testid=metrics-table]").TextContent;
        Assert.Contains("2.5000", table);
        Assert.Contains("1.2500", table);
        Assert.Contains("60.0%", table);
    }

    [Fact]
    public void PagesSayWhenTheApiIsDownAndWhenThereIsNothingYet()
    {
        var empty = Render<Runs>();
        Assert.Contains("No runs yet", empty.Find("[data-testid=empty-state]").TextContent);

        Api.Failure = new HttpRequestException("Connection refused (api:443)");
        var down = Render<Evaluations>();
        Assert.Contains("Connection refused", down.Find("[data-testid=load-error]").TextContent);
    }

    [Fact]
    public void DatasetPageShowsStatsChartsAndAGalleryWithAltText()
    {
        Api.Datasets.Add(new DatasetSummary("sample", "Sample covers", "sample", "datasets/sample", "ocr-vqa", "ready", 1, null, null, WebTestData.Started, WebTestData.Started,
            [new SplitStats("train", 4, 12, new Dictionary<string, int> { ["Title"] = 12 }, new SizeSummary(200, 256, 300), new SizeSummary(300, 384, 400), 0)], 0, []));

        var page = Render<Dataset>(p => p.Add(x => x.Id, "sample"));

        Assert.Contains("12", page.Find("[data-testid=kind-chart] table").TextContent);
        Assert.Contains("200 – 300", page.Find("[data-testid=size-chart] table").TextContent);
        page.WaitForAssertion(() =>
        {
            var image = page.Find("[data-testid=gallery-item] img");
            Assert.Equal("Cover of image img0", image.GetAttribute("alt"));
            Assert.Equal("/files/datasets/sample/images/img0?split=train", image.GetAttribute("src"));
        }, WaitTimeout);
    }

    [Fact]
    public void NewRunNumbersFewShotCandidatesAsThePreparationDoesAndSendsTheChosenIds()
    {
        var examples = Enumerable.Range(0, 5).Select(i => new DatasetExample(i < 3 ? "a" : "b", "train", "q", "x", "Title", "/api/datasets/d/images/a", new Dictionary<string, string>())).ToList();

        var candidates = FewShotCandidate.From(examples);

        Assert.Equal(["a#q0", "a#q1", "a#q2", "b#q0", "b#q1"], candidates.Select(c => c.ExampleId));
        var form = new NewRunForm { DatasetId = "d", Chain = true };
        form.FewShotIds.AddRange(["a#q1", "b#q0"]);
        var request = form.ToRequest();
        Assert.Equal(["a#q1", "b#q0"], request.Prompt!.FewShotExampleIds!);
        Assert.Equal(2, request.Prompt.FewShotCount);
        Assert.NotNull(request.Continue);
    }

    [Fact]
    public void FineTuneSettingsLeaveBlankFieldsToAutoAndSendTheRest()
    {
        var request = new FineTuneForm { BaseModel = "  ", Epochs = 2, LearningRate = 1.8, Suffix = " covers " }.ToRequest();

        Assert.Equal(new FineTuneRequest(null, 2, null, 1.8, "covers"), request with { Metadata = null });
    }
}
