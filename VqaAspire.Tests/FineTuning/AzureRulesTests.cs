using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.FineTuning;

/// <summary>How the app applies Azure OpenAI's rules before it spends anything: deployments by role, batch only where Azure runs it.</summary>
[Trait("Category", TestCategories.Unit)]
public class AzureRulesTests
{
    private static readonly IReadOnlyList<EvaluationModel> BaseAndFineTuned = [new("base", "gpt-4o-2024-08-06"), new("fine-tuned", "vqa-run-1")];

    private static ProviderOptions Azure(string? batch = "gpt-4o-batch") => new()
    {
        Kind = "azure",
        Endpoint = "https://example.openai.azure.com",
        Azure = new AzureProviderOptions { BaseDeployment = "gpt-4o", JudgeDeployment = "judge", BatchDeployment = batch },
    };

    [Fact]
    public void AMissingDeploymentNameIsNamedWithTheSettingToSet()
    {
        var missing = new AzureProviderOptions { BaseDeployment = "gpt-4o" }.MissingDeployments(batch: true);
        Assert.Contains("Provider:Azure:JudgeDeployment", missing);
        Assert.Contains("azure-batch-deployment", missing);
        Assert.DoesNotContain("BaseDeployment", missing);
        Assert.Null(new AzureProviderOptions { BaseDeployment = "a", JudgeDeployment = "b" }.MissingDeployments(batch: false));
    }

    [Fact]
    public void TheBaseModelAndTheJudgeAreAskedThroughTheirDeployments()
    {
        var (request, models, note) = AzureEvaluationPlan.Apply(Azure(), new EvaluationRequest(), BaseAndFineTuned);
        Assert.Equal("judge", request.JudgeModel);
        Assert.Equal(["gpt-4o", "vqa-run-1"], models.Select(m => m.Model));
        Assert.Null(note);
    }

    [Fact]
    public void ABatchEvaluationWithTheFineTunedModelRunsSynchronouslyAndSaysWhy()
    {
        var (request, _, note) = AzureEvaluationPlan.Apply(Azure(), new EvaluationRequest(Mode: "batch"), BaseAndFineTuned);
        Assert.Equal("sync", request.Mode);
        Assert.Contains("does not take fine-tuned models", note);
    }

    [Fact]
    public void ABatchEvaluationOfTheBaseModelGoesToTheGlobalBatchDeploymentOrSyncWithoutOne()
    {
        var (request, models, note) = AzureEvaluationPlan.Apply(Azure(), new EvaluationRequest(Mode: "batch"), [BaseAndFineTuned[0]]);
        Assert.Equal(("batch", "gpt-4o-batch", null), (request.Mode, models[0].Model, note));

        var (withoutBatch, _, why) = AzureEvaluationPlan.Apply(Azure(batch: null), new EvaluationRequest(Mode: "batch"), [BaseAndFineTuned[0]]);
        Assert.Equal("sync", withoutBatch.Mode);
        Assert.Contains("GlobalBatch", why);
    }

    [Fact]
    public void OnOpenAINothingIsMapped()
    {
        var openAI = new ProviderOptions { Kind = "openai", ApiKey = "sk" };
        var (request, models, note) = AzureEvaluationPlan.Apply(openAI, new EvaluationRequest(Mode: "batch"), BaseAndFineTuned);
        Assert.Equal(("batch", "gpt-4o", null), (request.Mode, request.JudgeModel, note));
        Assert.Same(BaseAndFineTuned, models);
    }

    [Fact]
    public void AnUnknownTrainingTypeOrDeploymentSkuIsAProblem()
    {
        Assert.Contains("Standard, GlobalStandard, Developer", new ProviderOptions { Kind = "azure", Endpoint = "https://x.openai.azure.com", ApiKey = "k", AzureTrainingType = "Regional" }.Problem());
        Assert.Contains("DeploymentSku", new ProviderOptions { Kind = "azure", Endpoint = "https://x.openai.azure.com", ApiKey = "k", Azure = new AzureProviderOptions { DeploymentSku = "GlobalBatch" } }.Problem());
        Assert.Null(new ProviderOptions { Kind = "azure", Endpoint = "https://x.openai.azure.com", ApiKey = "k", AzureTrainingType = "developer" }.Problem());
    }

    [Fact]
    public void APausedJobStaysPausedAndADeploymentNameFitsAzure()
    {
        var job = ProviderJob.Parse(System.Text.Json.JsonDocument.Parse("""{"id":"ftjob-1","model":"gpt-4o-2024-08-06","status":"paused","created_at":1}""").RootElement);
        Assert.Equal("paused", job.Status);
        Assert.False(job.IsTerminal);
        var name = AzureFineTuneSteps.DeploymentNameFor("run_2026/11:27 " + new string('x', 80));
        Assert.Matches("^[A-Za-z0-9_.-]{1,64}$", name);
    }
}
