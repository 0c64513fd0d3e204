using Bunit;
using Microsoft.AspNetCore.Components;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Controls;
using VqaAspire.Web.Components.Pages;

namespace VqaAspire.Tests.Web;

/// <summary>
/// The pages a person uses every day, rendered against the fake api: the new run form refusing at the field, the run
/// page opening on its verdict with the emulator said, badges in colour, the evaluation's settings and Cancel, the
/// fine-tune page's labelled hyperparameters, smoothing and checkpoint actions, and the playground's side-by-side answers.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class DashboardPagesTests : DashboardTestContext
{
    private static DatasetSummary Sample() => new("sample", "Sample covers", "sample", "datasets/sample", "ocr-vqa", "ready", 1, null, null, WebTestData.Started, WebTestData.Started,
        [new SplitStats("train", 200, 800, new Dictionary<string, int>(), null, null, 0), new SplitStats("test", 120, 480, new Dictionary<string, int>(), null, null, 0)], 0, []);

    [Fact]
    public void NewRunHoldsTheOnlyDatasetAndSendsTheDefaults()
    {
        Api.Datasets.Add(Sample());
        var page = Render<NewRun>();

        Assert.Equal("sample", page.Find("#run-dataset").GetAttribute("value"));
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("sample", Assert.Single(Api.StartedRuns).DatasetId), WaitTimeout);
    }

    [Fact]
    public void NewRunSaysAtTheFieldWhatIsWrongAndSendsNothing()
    {
        Api.Datasets.Add(Sample());
        var page = Render<NewRun>();

        page.Find("#run-train").Change(100_000);
        page.Find("#run-few-shot").Change(20);
        page.Find("form").Submit();

        var errors = page.FindAll("[data-testid=field-error]").ToDictionary(e => e.GetAttribute("data-field")!, e => e.TextContent);
        Assert.Contains("The train split has 200 images", errors["sampling.train"]);
        Assert.Contains("between 0 and 9", errors["prompt.fewShotCount"]);
        Assert.Contains("Nothing was sent", page.Find("[data-testid=form-problems]").TextContent);
        Assert.Empty(Api.StartedRuns);
    }

    [Fact]
    public void TheRunPageOpensOnItsVerdictAndSaysTheEstimateIsEmulated()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with { LatestEvaluationId = "eval-1", FineTuneStep = new RunStep(StepStatus.Succeeded, 1) };
        Api.Evaluations["eval-1"] = WebTestData.EvaluationWithHeadline(emulated: true,
            new PairedComparison("base", "fine-tuned", "VQA accuracy", "all", 398, 100, 4.2, -0.8, 9.1, "+4.2 points (95% CI -0.8 to +9.1)"));

        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        var verdict = page.Find("[data-testid=verdict]");
        // The verdict comes before the steps.
        Assert.True(page.Markup.IndexOf("data-testid=\"verdict\"", StringComparison.Ordinal) < page.Markup.IndexOf("data-testid=\"timeline\"", StringComparison.Ordinal));
        Assert.Equal(2, verdict.QuerySelectorAll("[data-testid=verdict-model]").Length);
        Assert.Contains("base (baseline)", verdict.TextContent);
        var difference = page.Find("[data-testid=verdict-difference]").TextContent;
        Assert.Contains("fine-tuned − base", difference);
        Assert.Contains("+4.2 pt (95% interval", difference);
        // The evaluation's paired difference, and on the emulator no reading of which model is better.
        Assert.Contains("+4.2 pt", difference);
        Assert.Contains("exercise the pipeline, not a model", difference);
        Assert.Equal("Emulator: not a real model", page.Find("[data-testid=emulated-label]").TextContent.Trim());
        Assert.Contains("emulated", page.Find("[data-testid=estimate-emulated]").TextContent);
    }

    [Fact]
    public void EvaluationSettingsAreSentAndARunningEvaluationCanBeCancelled()
    {
        var run = WebTestData.PreparedRun() with
        {
            Upload = new RunStep(StepStatus.Succeeded, 1),
            FineTuneStep = new RunStep(StepStatus.Succeeded, 1),
            FineTune = new FineTuneView("ftjob-1", "gpt-4o-2024-08-06", "succeeded", "ft:gpt-4o:x", ["file-1"], "n_epochs=3", 1000, 0.1m, WebTestData.Started, null, null, [], false, null, new FineTuneRequest()),
        };
        Api.Runs["run-1"] = run;
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        page.Find("#eval-mode").Change("batch");
        page.Find("[data-testid=add-model]").Click();
        page.Find("[data-testid=evaluate]").Click();

        // An extra model with no id is refused at its field; nothing is sent.
        page.WaitForAssertion(() => Assert.Contains("model id", page.Find("[data-testid=extra-model] [data-testid=field-error]").TextContent), WaitTimeout);
        Assert.Empty(Api.StartedEvaluations);
        page.Find("[data-testid=extra-model] button, [data-testid=extra-model] fluent-button").Click();
        page.Find("[data-testid=evaluate]").Click();

        page.WaitForAssertion(() => Assert.Equal("batch", Assert.Single(Api.StartedEvaluations).Request.Mode), WaitTimeout);
        Api.Runs["run-1"] = run with { LatestEvaluationId = "eval-2" };
        Api.Evaluations["eval-2"] = Api.Evaluations["eval-2"] with { Step = new RunStep(StepStatus.Running, 0.3) };
        Feed.Publish("run-1");
        page.WaitForAssertion(() => page.Find("[data-testid=cancel-evaluation]").Click(), WaitTimeout);
        page.Find("[data-testid=cancel-evaluation-yes]").Click();
        page.WaitForAssertion(() => Assert.Equal(["eval-2"], Api.CancelledEvaluations), WaitTimeout);
    }

    [Fact]
    public void TheJudgeCanBeAskedOnItsOwnEndpoint()
    {
        var form = new VqaAspire.Web.Components.Controls.EvaluationForm { JudgeModel = "llama3.1", JudgeEndpoint = "not an address" };

        Assert.Equal("judge.endpoint", Assert.Single(form.Problems()).Field);

        form.JudgeEndpoint = " http://localhost:11434/v1 ";
        Assert.Empty(form.Problems());
        Assert.Equal(new EvaluationJudge("llama3.1", "http://localhost:11434/v1"), form.ToRequest(null).Judge);
        form.JudgeEndpoint = "";
        Assert.Null(form.ToRequest(null).Judge);
    }

    [Theory]
    [InlineData("failed", "badge-danger")]
    [InlineData("succeeded", "badge-success")]
    [InlineData("running", "badge-info")]
    [InlineData("cancelled", "badge-warning")]
    public void StatusBadgesSayTheirStatusInAWordAndAColour(string status, string tone)
    {
        var badge = Render<VqaAspire.Web.Components.Controls.StatusTag>(p => p.Add(x => x.Status, status)).Find("[data-testid=step-status]");

        Assert.Equal(status, badge.TextContent);
        Assert.Contains(tone, badge.ClassList);
    }

    [Fact]
    public void ModelsKeepOneColourEverywhereAndNeverRedOrGreen()
    {
        Assert.Equal(ChartGeometry.ModelColour("fine-tuned"), ChartGeometry.ModelColour("fine-tuned"));
        Assert.NotEqual(ChartGeometry.ModelColour("base"), ChartGeometry.ModelColour("fine-tuned"));
        foreach (var colour in ChartGeometry.Palette)
        {
            var (r, g, b) = (Convert.ToInt32(colour[1..3], 16), Convert.ToInt32(colour[3..5], 16), Convert.ToInt32(colour[5..7], 16));
            Assert.False(r > 150 && g < 80 && b < 80, $"{colour} reads as red");
            Assert.False(g > 100 && r < 60 && b < 60, $"{colour} reads as green");
        }
    }

    [Fact]
    public void ChartsHaveAnAxisALegendAndFullLabelsOnHover()
    {
        Api.Evaluations["eval-1"] = WebTestData.FinishedEvaluation();

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        var chart = page.Find("[data-testid=overall-chart]");
        Assert.Equal(["base", "fine-tuned"], chart.QuerySelectorAll("[data-testid=legend] li").Select(li => li.TextContent.Trim()));
        Assert.Contains("100%", chart.QuerySelectorAll("svg text.tick").Select(t => t.TextContent));
        var tooltip = chart.QuerySelectorAll("svg title").Select(t => t.TextContent).Single(t => t.StartsWith("fine-tuned · yes/no lenient:", StringComparison.Ordinal));
        Assert.Contains("95% interval", tooltip);
        Assert.Equal(ChartGeometry.ModelColour("fine-tuned"), chart.QuerySelectorAll("rect").Last().GetAttribute("fill"));
    }

    [Fact]
    public void TheFineTunePageLabelsItsHyperparametersSmoothsItsCurvesAndEvaluatesACheckpoint()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with
        {
            FineTuneStep = new RunStep(StepStatus.Succeeded, 1),
            FineTune = new FineTuneView("ftjob-1", "gpt-4o-2024-08-06", "succeeded", "ft:gpt-4o:x", ["file-1"], "n_epochs=3, batch_size=1", 1000, 0.1m, WebTestData.Started, null, null,
                [new FineTuneCheckpoint("ckpt-1", "ft:gpt-4o:x:ckpt-step-10", 10, WebTestData.Started, 0.5, 0.6, 0.8)], false, null, new FineTuneRequest(LearningRateMultiplier: 1.8)),
        };
        Api.Metrics.AddRange(Enumerable.Range(1, 12).Select(i => new FineTunePoint(i, 3.0 / i, 0.05 * i, null, null)));

        var page = Render<FineTune>(p => p.Add(x => x.Id, "run-1"));

        var hyperparameters = page.Find("[data-testid=hyperparameters]").TextContent;
        Assert.Contains("Epochs3", hyperparameters.Replace(" ", "").Replace("\n", ""));
        Assert.Contains("1.8", hyperparameters);
        Assert.Equal("Emulator: not a real model", page.Find("[data-testid=emulated-label]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=loss-chart] circle title"));
        page.Find("[data-testid=smooth]").Change(true);
        page.WaitForAssertion(() => Assert.Contains("(smoothed)", page.Find("[data-testid=loss-chart] .legend").TextContent), WaitTimeout);
        Assert.StartsWith("/playground?model=ft%3Agpt-4o%3Ax%3Ackpt-step-10", page.Find("[data-testid=compare-checkpoint]").GetAttribute("href"));

        page.Find("[data-testid=evaluate-checkpoint]").Click();

        page.WaitForAssertion(() => Assert.Equal(["base", "checkpoint 10"], Assert.Single(Api.StartedEvaluations).Request.Models!.Select(m => m.Name)), WaitTimeout);
        Assert.EndsWith("/evaluations/eval-2", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void ThePlaygroundAsksTheChosenModelsAndShowsTheirAnswersSideBySide()
    {
        Api.Datasets.Add(Sample());
        Api.Runs["run-1"] = WebTestData.PreparedRun() with
        {
            FineTune = new FineTuneView("ftjob-1", "gpt-4o-2024-08-06", "succeeded", "ft:gpt-4o:x", ["file-1"], null, null, null, null, null, null, [], false, null, new FineTuneRequest()),
        };

        var page = Render<Playground>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=image-option]")), WaitTimeout);
        page.Find("[data-testid=ask]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=answer]").Count), WaitTimeout);
        var asked = Assert.Single(Api.PlaygroundQuestions);
        Assert.Equal(["base", "fine-tuned"], asked.Models.Select(m => m.Name));
        Assert.Equal(("sample", "img0"), (asked.DatasetId, asked.ImageId));
        Assert.Equal("Question 0?", asked.Question);
        var answers = page.FindAll("[data-testid=answer]");
        Assert.Contains("Answer of fine-tuned", answers[1].TextContent);
        Assert.Equal("801 / 4", answers[1].QuerySelector("[data-testid=answer-tokens]")!.TextContent);
        Assert.Contains("ms", answers[1].QuerySelector("[data-testid=answer-latency]")!.TextContent);
        Assert.Equal("Answer 0", page.Find("[data-testid=truth]").TextContent);
    }

    [Fact]
    public void ThePlaygroundRefusesAQuestionWithoutAModel()
    {
        Api.Datasets.Add(Sample());
        var page = Render<Playground>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=model-choice]")), WaitTimeout);

        page.Find("[data-testid=model-choice]").Change(false);
        page.Find("[data-testid=ask]").Click();

        Assert.Contains("Pick between 1 and 4 models", page.Find("[data-testid=field-error]").TextContent);
        Assert.Empty(Api.PlaygroundQuestions);
    }

    [Fact]
    public void TheVerdictShowsTheEvaluationsOwnPairedDifferenceAndNeverCallsAnEmulatedModelBetter()
    {
        var higher = new PairedComparison("base", "fine-tuned", "VQA accuracy", "all", 398, 100, 4.2, 1.0, 7.5, "+4.2 points (95% CI +1.0 to +7.5)");

        var real = Verdict.Of(WebTestData.EvaluationWithHeadline(emulated: false, higher))!;
        var emulated = Verdict.Of(WebTestData.EvaluationWithHeadline(emulated: true, higher))!;
        var unpaired = Verdict.Of(WebTestData.EvaluationWithHeadline(emulated: false,
            higher with { Pairs = 0, Points = null, Lower = null, Upper = null, Reading = "no paired examples" }))!;

        // The numbers are the api's: the dataset's metric per model, and the paired difference, not recomputed here.
        Assert.Equal("VQA accuracy", real.Metric);
        Assert.Equal(("base", 0.512, 0.47, 0.55), (real.Baseline.Name, real.Baseline.Value, real.Baseline.Lower, real.Baseline.Upper));
        var difference = real.Differences.Single();
        Assert.Equal((0.042, 0.01, 0.075, 398), (difference.Value!.Value, difference.Lower!.Value, difference.Upper!.Value, difference.Pairs));
        Assert.Equal("+4.2 pt", VerdictDifference.Points(difference.Value));
        // Without the api's verdict (a summary from before verdicts) the interval alone names no better model.
        Assert.StartsWith("The interval is above zero; no verdict is drawn on this pair", difference.Reading);
        var tooFew = new EvaluationVerdict("base", "fine-tuned", VerdictOutcomes.TooFewCovers, null, [new("base", 12, 12), new("fine-tuned", 12, 12)], 0.02, null, 5, 20, 0.0625,
            "exact", "Too few covers to tell (5 covers; 20 needed).");
        var withVerdict = WebTestData.EvaluationWithHeadline(emulated: false, higher);
        withVerdict = withVerdict with { Summary = withVerdict.Summary! with { Verdict = tooFew } };
        Assert.Equal("Too few covers to tell (5 covers; 20 needed).", Verdict.Of(withVerdict)!.Differences.Single().Reading);
        Assert.StartsWith("Emulated: these numbers exercise the pipeline", emulated.Differences.Single().Reading);
        Assert.DoesNotContain("higher", emulated.Differences.Single().Reading);
        Assert.StartsWith("No paired examples", unpaired.Differences.Single().Reading);
        Assert.Equal("n/a", VerdictDifference.Points(unpaired.Differences.Single().Value));
        // An evaluation scored before the dataset metric existed has no verdict rather than a made-up one.
        Assert.Null(Verdict.Of(WebTestData.FinishedEvaluation()));
    }

    [Fact]
    public void TheGalleryShowsOneCardPerImageWithAllItsQuestionsAndStepsThroughThemByKeyboard()
    {
        Api.Datasets.Add(Sample());
        var page = Render<Dataset>(p => p.Add(x => x.Id, "sample"));

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=gallery-item]").Count), WaitTimeout);
        Assert.Equal(3, page.FindAll("[data-testid=gallery-item]")[0].QuerySelectorAll(".questions li").Length);
        page.FindAll("[data-testid=gallery-item] button")[0].Click();
        var lightbox = page.Find("[data-testid=lightbox]");
        Assert.Equal("Image img0, 1 of 4", lightbox.GetAttribute("aria-label"));

        lightbox.KeyDown("ArrowRight");
        Assert.Equal("Image img1, 2 of 4", page.Find("[data-testid=lightbox]").GetAttribute("aria-label"));
        page.Find("[data-testid=lightbox]").KeyDown("Escape");
        Assert.Empty(page.FindAll("[data-testid=lightbox]"));
    }

    [Fact]
    public void ListsNameTheirRowsAndFilterAndSortThem()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun("run-1");
        Api.Runs["run-2"] = WebTestData.PreparedRun("run-2") with { DatasetId = "covers-2000", CreatedAt = WebTestData.Started.AddHours(1) };
        var page = Render<Runs>();

        Assert.Equal(["covers-2000 · gpt-4o-2024-08-06", "sample · gpt-4o-2024-08-06"], page.FindAll("[data-testid=runs] tbody th a").Select(a => a.TextContent));
        Assert.Contains("$16.07", page.Find("[data-testid=runs] tbody tr").TextContent);

        page.Find("[data-testid=list-sort]").Change("oldest");
        Assert.Equal("sample · gpt-4o-2024-08-06", page.Find("[data-testid=runs] tbody th a").TextContent);
        page.Find("[data-testid=list-filter]").Input("covers");
        Assert.Single(page.FindAll("[data-testid=runs] tbody tr"));
        Assert.Equal("1 of 2 runs", page.Find("[data-testid=list-count]").TextContent);
    }

    [Fact]
    public void ARunningEvaluationIsCancelledFromItsOwnPage()
    {
        Api.Evaluations["eval-1"] = WebTestData.FinishedEvaluation() with { Step = new RunStep(StepStatus.Running, 0.4, "Answered 160 of 398") };
        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        // Cancel asks first: "Keep it running" sends nothing.
        page.Find("[data-testid=cancel-evaluation]").Click();
        Assert.Contains("Its answers so far are kept", page.Find("[data-testid=cancel-evaluation-confirm]").TextContent);
        page.Find("[data-testid=cancel-evaluation-no]").Click();
        Assert.Empty(Api.CancelledEvaluations);
        page.Find("[data-testid=cancel-evaluation]").Click();
        page.Find("[data-testid=cancel-evaluation-yes]").Click();

        page.WaitForAssertion(() => Assert.Equal(["eval-1"], Api.CancelledEvaluations), WaitTimeout);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=cancel-evaluation]")), WaitTimeout);
        Assert.Equal("cancelled", page.Find("[data-testid=step-status]").TextContent);
    }
}
