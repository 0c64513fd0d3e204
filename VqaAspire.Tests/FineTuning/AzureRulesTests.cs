using VqaAspire.Api.Evaluation;
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
        Assert.Contains("Standard, GlobalStandard, developerTier", new ProviderOptions { Kind = "azure", Endpoint = "https://x.openai.azure.com", ApiKey = "k", AzureTrainingType = "Regional" }.Problem());
        Assert.Contains("DeploymentSku", new ProviderOptions { Kind = "azure", Endpoint = "https://x.openai.azure.com", ApiKey = "k", Azure = new AzureProviderOptions { DeploymentSku = "GlobalBatch" } }.Problem());
        Assert.Null(new ProviderOptions { Kind = "azure", Endpoint = "https://x.openai.azure.com", ApiKey = "k", AzureTrainingType = "developer" }.Problem());
    }

    [Theory]
    [InlineData("Developer", "developerTier")]
    [InlineData("developertier", "developerTier")]
    [InlineData("globalstandard", "GlobalStandard")]
    [InlineData("standard", "Standard")]
    [InlineData("Regional", null)]
    public void ATrainingTypeIsSentAsAzuresSamplesSpellIt(string configured, string? sent) => Assert.Equal(sent, AzureRules.TrainingType(configured));

    [Fact]
    public void ADeveloperDeploymentIsDeveloperTierWithTheNewerApiVersion()
    {
        Assert.Equal("DeveloperTier", AzureRules.DeploymentSku("Developer"));
        Assert.Equal("DeveloperTier", AzureRules.DeploymentSku("developertier"));
        var settings = new AzureProviderOptions();
        Assert.Equal("2025-07-01-preview", settings.ApiVersionFor("DeveloperTier"));
        Assert.Equal("2024-10-01", settings.ApiVersionFor("GlobalStandard"));
        // Not 1 (1,000 tokens a minute): fine-tune-test's 50, shown as tokens a minute.
        Assert.Equal((50, 50_000L), (settings.DeploymentCapacity, settings.DeploymentTokensPerMinute));
    }

    private static readonly (string, long)[] SmallFiles = [("train", 1_000_000), ("validation", 200_000)];

    [Theory]
    [InlineData("gpt-4o-mini-2024-07-18", null, "GlobalStandard", "baseModel 'gpt-4o-mini-2024-07-18'")]
    [InlineData("gpt-4o-2024-08-06", "covers.v2", "GlobalStandard", "suffix 'covers.v2'")]
    [InlineData("gpt-4o-2024-08-06", "a-suffix-that-is-longer-than-forty-chars!", "GlobalStandard", "suffix")]
    [InlineData("gpt-4o-2024-08-06", null, "DeveloperTier", "only GPT-4.1 models")]
    [InlineData("gpt-4o-2024-08-06", null, "Cheap", "deploymentSku 'Cheap'")]
    public void AFineTuneAzureWouldRefuseIsStoppedBeforeSpendingNamingWhat(string baseModel, string? suffix, string sku, string expected) =>
        Assert.Contains(expected, AzureRules.Problem(baseModel, suffix, "GlobalStandard", sku, SmallFiles));

    [Fact]
    public void AFileOf512MegabytesIsRefusedNamingTheSplitAndAValidFineTunePasses()
    {
        var problem = AzureRules.Problem("gpt-4o-2024-08-06", "covers", "GlobalStandard", "GlobalStandard", [("train", 100), ("validation", 512L * 1024 * 1024)]);
        Assert.Contains("validation file is 512 MB", problem);
        Assert.Null(AzureRules.Problem("gpt-4.1-2025-04-14", "covers_2-a", "developerTier", "DeveloperTier", SmallFiles));
        // A model fine-tuned from a vision snapshot can be fine-tuned again.
        Assert.Null(AzureRules.Problem("gpt-4o-2024-08-06.ft-abc123", null, "Standard", "Standard", SmallFiles));
    }

    [Fact]
    public void AnEvaluationExpectedToAskForMoreTokensAMinuteThanTheDeploymentServesIsWarnedAbout()
    {
        var run = RunWithDeployment(capacity: 50, tokensPerExample: 1_200);
        IReadOnlyList<EvaluationModel> models = [new("base", "gpt-4o"), new("fine-tuned", "vqa-run-1")];

        // 8 in flight at about a second each: 480 requests a minute x 1,200 tokens = 576,000 > 50,000.
        var deployed = new Dictionary<string, long> { ["vqa-run-1"] = 50_000 };
        var warning = AzureEvaluationPlan.CapacityWarning(run, new EvaluationRequest(), models, deployed);
        Assert.Contains("serves 50,000 tokens a minute (capacity 50)", warning);
        Assert.Contains("about 576,000", warning);

        Assert.Null(AzureEvaluationPlan.CapacityWarning(run, new EvaluationRequest(TokensPerMinute: 50_000), models, deployed));
        Assert.Null(AzureEvaluationPlan.CapacityWarning(run, new EvaluationRequest(RequestsPerMinute: 40), models, deployed));
        Assert.NotNull(AzureEvaluationPlan.CapacityWarning(RunWithDeployment(capacity: 1, tokensPerExample: 1_200), new EvaluationRequest(RequestsPerMinute: 6), models,
            new Dictionary<string, long> { ["vqa-run-1"] = 1_000 }));
    }

    [Fact]
    public void EveryDeploymentTheEvaluationCallsIsCheckedTheBaseModelsToo()
    {
        var run = RunWithDeployment(capacity: 1_000, tokensPerExample: 1_200);
        IReadOnlyList<EvaluationModel> models = [new("base", "gpt-4o"), new("fine-tuned", "vqa-run-1"), new("fine-tuned on openai", "ft:gpt-4o:x", Provider: "openai")];
        // 40 requests a minute x 1,200 tokens = 48,000: the fine-tune's deployment serves 1,000,000, the base model's 10,000.
        var request = new EvaluationRequest(RequestsPerMinute: 40);

        var warning = AzureEvaluationPlan.CapacityWarning(run, request, models,
            new Dictionary<string, long> { ["gpt-4o"] = 10_000, ["vqa-run-1"] = 1_000_000, ["ft:gpt-4o:x"] = 1_000 });

        Assert.StartsWith("The deployment gpt-4o serves 10,000 tokens a minute (capacity 10); this evaluation is expected to ask for about 48,000", warning);
        Assert.DoesNotContain("vqa-run-1", warning);
        // A model asked on another provider is no deployment of this account, whatever its name.
        Assert.DoesNotContain("ft:gpt-4o:x", warning);
        Assert.EndsWith("set tokensPerMinute to 10,000 or raise the deployment's capacity.", warning);
        Assert.Null(AzureEvaluationPlan.CapacityWarning(run, request, models, new Dictionary<string, long> { ["gpt-4o"] = 50_000, ["vqa-run-1"] = 50_000 }));
    }

    [Fact]
    public void AGpt41RunsBaseIsAskedThroughAGpt41DeploymentNeverTheGpt4oOne()
    {
        IReadOnlyList<EvaluationModel> gpt41 = [new("base", "gpt-4.1-2025-04-14"), new("fine-tuned", "vqa-run-1")];
        var settings = new ProviderOptions { Kind = "azure", Endpoint = "http://x", ApiKey = "k",
            Azure = new AzureProviderOptions { BaseDeployment = "gpt-4o", Gpt41BaseDeployment = "gpt-41", JudgeDeployment = "judge", BatchDeployment = "gpt-4o-batch" } };

        var (_, models, _) = AzureEvaluationPlan.Apply(settings, new EvaluationRequest(), gpt41);
        Assert.Equal(["gpt-41", "vqa-run-1"], models.Select(m => m.Model));
        // The GlobalBatch deployment serves gpt-4o: a gpt-4.1 base runs synchronously through its own deployment.
        var (batch, batchModels, note) = AzureEvaluationPlan.Apply(settings, new EvaluationRequest(Mode: "batch"), [gpt41[0]]);
        Assert.Equal(("sync", "gpt-41"), (batch.Mode, batchModels[0].Model));
        Assert.Contains("serves gpt-4o, not gpt-4.1-2025-04-14", note);

        // Without a gpt-4.1 deployment the evaluation is refused, naming the setting; the gpt-4o one is not asked instead.
        settings.Azure.Gpt41BaseDeployment = null;
        Assert.Equal("Azure OpenAI answers through deployments, and no deployment name is set for the base model gpt-4.1-2025-04-14's "
            + "(Provider:Azure:Gpt41BaseDeployment, AppHost parameter azure-gpt41-base-deployment).", settings.Azure.MissingDeployments(batch: false, "gpt-4.1-2025-04-14"));
        Assert.Null(settings.Azure.MissingDeployments(batch: false, "gpt-4o-2024-08-06"));
        Assert.DoesNotContain(AzureEvaluationPlan.Apply(settings, new EvaluationRequest(), gpt41).Models, m => m.Model == "gpt-4o");
    }

    private static RunView RunWithDeployment(int capacity, long tokensPerExample) => new(
        "run-1", "sample", DateTimeOffset.UnixEpoch, new PrepareRequest("sample", new SamplingSettings(100, 10, 10)), new RunStep(StepStatus.Succeeded),
        new PreparationOutcome([], [], [], 0, 0, 0, new TrainingEstimate("gpt-4o-2024-08-06", 100, 100 * tokensPerExample, 3, true, 0, null, null, 0)),
        FineTune: new FineTuneView("ftjob-1", "gpt-4o-2024-08-06", "succeeded", "gpt-4o-2024-08-06.ft-1", [], null, null, null, null, null, null, [], false, "vqa-run-1",
            new FineTuneRequest(), "Succeeded", "GlobalStandard", 1.70m, "azure", capacity));

    [Fact]
    public void AnAzureBatchStatusIsReadWhateverItsCase()
    {
        var batch = ProviderBatch.Parse(System.Text.Json.JsonDocument.Parse("""{"id":"batch_1","status":"Completed","request_counts":{"total":null,"completed":null,"failed":null}}""").RootElement);
        Assert.Equal(("completed", true, 0), (batch.Status, batch.IsTerminal, batch.Total));
        Assert.Equal("cancelled", ProviderBatch.Parse(System.Text.Json.JsonDocument.Parse("""{"id":"b","status":"canceled"}""").RootElement).Status);
        Assert.False(ProviderBatch.Parse(System.Text.Json.JsonDocument.Parse("""{"id":"b","status":"Validating"}""").RootElement).IsTerminal);
    }

    [Fact]
    public void AContentFilterRefusalIsToldFromOtherErrorsAndNamesWhatWasFlagged()
    {
        var refusal = ContentFilterRefusal.FromError(BinaryData.FromString("""
            {"error":{"code":"content_filter","message":"The response was filtered","param":"prompt","status":400,
             "innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"medium"}}}}}
            """));
        Assert.Equal("Refused by the provider's content filter (violence).", refusal);
        Assert.Null(ContentFilterRefusal.FromError(BinaryData.FromString("""{"error":{"code":"invalid_value","message":"bad"}}""")));
        Assert.Null(ContentFilterRefusal.FromError(BinaryData.FromString("not json")));

        // A batch line's error names it the same way.
        using var line = System.Text.Json.JsonDocument.Parse("""{"custom_id":"q1","response":null,"error":{"code":"content_filter","message":"filtered"}}""");
        Assert.Equal("Refused by the provider's content filter.", BatchAnswerer.FilteredReason(line.RootElement, default));
    }

    [Fact]
    public void APausedJobStaysPausedAndADeploymentNameFitsAzure()
    {
        var job = ProviderJob.Parse(System.Text.Json.JsonDocument.Parse("""{"id":"ftjob-1","model":"gpt-4o-2024-08-06","status":"paused","created_at":1}""").RootElement);
        Assert.Equal("paused", job.Status);
        Assert.False(job.IsTerminal);
        var name = AzureFineTuneSteps.DeploymentNameFor("run_2026/11:27 " + new string('x', 80));
        Assert.Matches("^[A-Za-z0-9_.-]{1,64}$", name);
        var checkpoint = AzureFineTuneSteps.CheckpointDeploymentNameFor("run_2026/11:27 " + new string('x', 80), 12);
        Assert.Matches("^[A-Za-z0-9_.-]{1,64}$", checkpoint);
        Assert.EndsWith("-step-12", checkpoint);
    }
}
