using Bunit;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Pages;

namespace VqaAspire.Tests.Web;

/// <summary>The dashboard on Azure OpenAI: the deployments by role on Home, pause and resume, and a deployment's hourly cost and deletion.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class AzureRunPageTests : DashboardTestContext
{
    private static FineTuneView AzureFineTune(string status, string? deploymentState = null) =>
        new("ftjob-1", "gpt-4o-2024-08-06", status, status == "succeeded" ? "gpt-4o-2024-08-06.ft-abc" : null, ["file-1"], null, null, null, WebTestData.Started, null, null, [],
            deploymentState is not "Succeeded", deploymentState is null ? null : "vqa-run-1", new FineTuneRequest(DeleteDeploymentAfterEvaluation: true),
            deploymentState, deploymentState is null ? null : "GlobalStandard", deploymentState is null ? null : 1.70m, ProviderKind: "azure");

    [Fact]
    public void HomeShowsTheDeploymentEachRoleUsesAndWhatIsMissing()
    {
        Api.Status = Api.Status with
        {
            Provider = new ProviderStatus("azure", "my.openai.azure.com", false, true, null,
                new AzureDeploymentsStatus("gpt-4o", null, null, "GlobalStandard", "my-openai", "GlobalStandard", 1.70m, "Azure OpenAI answers through deployments, and no deployment name is set for the judge's."))
        };

        var home = Render<Home>();

        home.WaitForAssertion(() =>
        {
            var mapping = home.Find("[data-testid=azure-deployments]").TextContent;
            Assert.Contains("gpt-4o", mapping);
            Assert.Contains("not set (batch runs synchronously)", mapping);
            Assert.Contains("my-openai (GlobalStandard, $1.70/hour)", mapping);
            Assert.Contains("judge's", home.Find("[data-testid=azure-missing]").TextContent);
        }, WaitTimeout);
    }

    [Fact]
    public void ARunningAzureJobCanBePausedAndAPausedOneResumed()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with { FineTuneStep = new RunStep(StepStatus.Running, 0.4), FineTune = AzureFineTune("running") };
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));
        Assert.Empty(page.FindAll("[data-testid=resume]"));
        page.Find("[data-testid=pause]").Click();
        page.WaitForAssertion(() => Assert.Equal(["pause run-1"], Api.AzureActions), WaitTimeout);

        Api.Runs["run-1"] = Api.Runs["run-1"] with { FineTune = AzureFineTune("paused") };
        var paused = Render<Run>(p => p.Add(x => x.Id, "run-1"));
        paused.Find("[data-testid=resume]").Click();
        paused.WaitForAssertion(() => Assert.Equal(["pause run-1", "resume run-1"], Api.AzureActions), WaitTimeout);
    }

    [Fact]
    public void ADeployedFineTuneShowsItsHourlyCostAndCanBeDeleted()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with { FineTuneStep = new RunStep(StepStatus.Succeeded, 1), FineTune = AzureFineTune("succeeded", "Succeeded") };
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        var deployment = page.Find("[data-testid=deployment]").TextContent;
        Assert.Contains("vqa-run-1", deployment);
        Assert.Contains("deleted by itself after the evaluation", deployment);
        Assert.Equal("$1.70/hour", page.Find("[data-testid=hosting-cost]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=pause]"));
        page.Find("[data-testid=delete-deployment]").Click();
        page.WaitForAssertion(() => Assert.Equal(["delete-deployment run-1"], Api.AzureActions), WaitTimeout);
    }

    [Fact]
    public void AnOpenAIJobOffersNoPause()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with { FineTuneStep = new RunStep(StepStatus.Running, 0.4), FineTune = AzureFineTune("running") with { ProviderKind = "openai" } };
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));
        Assert.Empty(page.FindAll("[data-testid=pause]"));
    }

    [Fact]
    public void AMovedRunListsBothFineTunesWithTheirProvidersAndAnEndedOneCanBeRunAgainElsewhere()
    {
        var openAI = AzureFineTune("succeeded") with { JobId = "ftjob-openai", FineTunedModel = "ft:gpt-4o-2024-08-06:org::abc", ProviderKind = "openai", Provider = "openai", NeedsDeployment = false };
        Api.Runs["run-1"] = WebTestData.PreparedRun() with
        {
            FineTuneStep = new RunStep(StepStatus.Succeeded, 1), FineTune = AzureFineTune("succeeded", "Succeeded"), EarlierFineTunes = [openAI],
        };
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));

        var rows = page.FindAll("[data-testid=fine-tunes] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("openai (openai)", rows[0]);
        Assert.Contains("ftjob-openai", rows[0]);
        Assert.Contains("earlier, kept", rows[0]);
        Assert.Contains("azure", rows[1]);
        Assert.Contains("vqa-run-1", rows[1]);
        Assert.Contains("current", rows[1]);

        page.Find("#ft-other-provider").Change("openai");
        page.Find("[data-testid=run-elsewhere]").Click();
        page.WaitForAssertion(() => Assert.Equal(["fine-tune run-1 on openai"], Api.AzureActions), WaitTimeout);
    }

    [Fact]
    public void AFineTuneStillRunningIsNotOfferedToAnotherProvider()
    {
        Api.Runs["run-1"] = WebTestData.PreparedRun() with { FineTuneStep = new RunStep(StepStatus.Running, 0.4), FineTune = AzureFineTune("running") };
        var page = Render<Run>(p => p.Add(x => x.Id, "run-1"));
        Assert.Empty(page.FindAll("[data-testid=run-elsewhere]"));
        Assert.Empty(page.FindAll("[data-testid=fine-tunes]"));
    }
}
