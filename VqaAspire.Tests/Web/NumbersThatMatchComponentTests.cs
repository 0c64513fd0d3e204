using Bunit;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Pages;

namespace VqaAspire.Tests.Web;

/// <summary>
/// The numbers the fine-tune pages show match what runs: the estimate beside Start fine-tune follows the epochs typed
/// in the form, and once the job has resolved its hyperparameters the fine-tune page shows them instead of "auto".
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class NumbersThatMatchComponentTests : DashboardTestContext
{
    [Fact]
    public void TheEstimateBesideStartFineTuneFollowsTheEpochsInTheForm()
    {
        // The api estimated 214,200 billed tokens per epoch, 3 epochs (auto), $25 per million: $16.07.
        Api.Runs["run-1"] = WebTestData.PreparedRun();
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));
        Assert.Contains("about $16.07 for 3 epochs (auto)", page.Find("[data-testid=start-estimate]").TextContent);

        page.Find("#ft-epochs").Change(5);

        // 214,200 x 5 = 1,071,000 tokens at $25 per million.
        page.WaitForAssertion(() => Assert.Contains("about $26.78 for 5 epochs", page.Find("[data-testid=start-estimate]").TextContent), WaitTimeout);
        Assert.Contains("5 (the epochs in the form)", page.Find("[data-testid=estimate-epochs]").TextContent);
        var estimate = page.Find("[data-testid=estimate]").TextContent;
        Assert.Contains("1,071,000", estimate);
        Assert.Contains("$26.78", estimate);

        page.Find("#ft-epochs").Change(60);
        // Out of range: the field says so, and the estimate stays the api's rather than a number for a job that cannot run.
        page.WaitForAssertion(() => Assert.Contains("about $16.07 for 3 epochs (auto)", page.Find("[data-testid=start-estimate]").TextContent), WaitTimeout);
    }

    [Fact]
    public void TheFineTunePageShowsTheHyperparametersTheJobResolvedNotAuto()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with
        {
            Upload = new RunStep(StepStatus.Succeeded, 1),
            FineTuneStep = new RunStep(StepStatus.Succeeded, 1),
            // What OpenAI's job object holds under method.supervised.hyperparameters once the job has started.
            FineTune = new FineTuneView("ftjob-1", "gpt-4o-2024-08-06", "succeeded", "ft:gpt-4o:x", ["file-1"],
                """{"batch_size":1,"learning_rate_multiplier":2,"n_epochs":3}""", 642_600, 16.07m, WebTestData.Started, null, null, [], false, null, new FineTuneRequest()),
        };

        var fineTune = Render<FineTune>(p => p.Add(x => x.Id, "run-1"));
        var run = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        var shown = fineTune.FindAll("[data-testid=hyperparameters] dt").Zip(fineTune.FindAll("[data-testid=hyperparameters] dd"))
            .ToDictionary(p => p.First.TextContent.Trim(), p => p.Second.TextContent.Trim());
        Assert.Equal("3", shown["Epochs"]);
        Assert.Equal("1", shown["Batch size"]);
        Assert.Equal("2", shown["Learning rate multiplier"]);
        Assert.Equal("auto", shown["Seed"]);
        // The run page's estimate says the epochs the job ran.
        Assert.Contains("3 (the epochs the job ran)", run.Find("[data-testid=estimate-epochs]").TextContent);
    }

    [Fact]
    public void AJobThatHasNotResolvedItsHyperparametersSaysSo()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with
        {
            FineTuneStep = new RunStep(StepStatus.Running, 0.1),
            FineTune = new FineTuneView("ftjob-1", "gpt-4o-2024-08-06", "validating_files", null, ["file-1"],
                """{"batch_size":"auto","learning_rate_multiplier":"auto","n_epochs":4}""", null, null, WebTestData.Started, null, null, [], false, null, new FineTuneRequest(Epochs: 4)),
        };

        var page = Render<FineTune>(p => p.Add(x => x.Id, "run-1"));

        var text = page.Find("[data-testid=hyperparameters]").TextContent;
        Assert.Contains("auto (until the job resolves it)", text);
        Assert.Contains("4", text);
    }
}
