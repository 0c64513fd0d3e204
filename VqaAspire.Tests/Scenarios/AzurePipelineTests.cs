using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Api.FineTuning;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using static VqaAspire.Tests.Infrastructure.Polling;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// The one-click pipeline with <c>openai-kind=azure-emulator</c>: the api talks Azure OpenAI to the emulator's Azure
/// surfaces, so every Azure rule holds: files processed before the job, a training type, a Resource Manager deployment
/// of the fine-tune, evaluation through deployments, and the deployment deleted after the evaluation.
/// </summary>
[Trait("Category", TestCategories.App)]
[Collection(SharedApp.Name)]
public sealed class AzurePipelineTests(AzurePipelineTests.AzureFixture fixture) : WholeAppTest(fixture), IClassFixture<AzurePipelineTests.AzureFixture>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>The key of the second provider (OpenAI's surface of the emulator), which must never come back out of the api.</summary>
    public const string OtherProviderKey = "sk-other-provider-5f1c9e27d4b8";

    public sealed class AzureFixture : VqaAppFixture
    {
        // A second provider for evaluations, through the AppHost's configuration: OpenAI (the emulator's /v1) with its own key.
        protected override IEnumerable<string> Arguments =>
            ["--Parameters:openai-kind=azure-emulator", "--OtherProviders:openai:Kind=openai", $"--OtherProviders:openai:ApiKey={OtherProviderKey}"];

        /// <summary>How long the emulated Azure keeps a Developer deployment (Azure: 24 hours).</summary>
        public static readonly TimeSpan DeveloperTierLifetime = TimeSpan.FromSeconds(20);

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            var emulator = builder.CreateResourceBuilder<ProjectResource>("openai-emulator")
                .WithEnvironment("Emulator__Azure__DeveloperTierLifetime", DeveloperTierLifetime.ToString());
            builder.CreateResourceBuilder<ProjectResource>("api")
                .WithEnvironment("FineTuning__PollInterval", "00:00:01")
                .WithEnvironment("Evaluation__BatchPollInterval", "00:00:01")
                .WithEnvironment("OtherProviders__openai__Endpoint", ReferenceExpression.Create($"{emulator.GetEndpoint("http")}/v1"))
                // Every read of a run asks Resource Manager about its deployment (30 s apart otherwise).
                .WithEnvironment("Provider__Azure__DeploymentCheckInterval", "00:00:00");
        }
    }

    [Fact]
    public async Task TheOneClickPipelineRunsUnderAzuresRulesAndDeletesItsDeploymentAfterTheEvaluation()
    {
        using var api = fixture.CreateHttpClient("api");
        var status = await api.GetFromJsonAsync<ApiStatus>("/api/status", Json);
        Assert.Equal("azure", status!.Provider.Kind);
        Assert.Equal(("gpt-4o", "gpt-4o-judge", "gpt-4o-batch"), (status.Provider.Azure!.BaseDeployment, status.Provider.Azure.JudgeDeployment, status.Provider.Azure.BatchDeployment));
        Assert.Null(status.Provider.Azure.Missing);

        await WaitForDatasetAsync(api);
        using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(20, 5, 10), Prompt: new PromptSettings(FewShotCount: 1),
            Continue: new PipelineContinuation(new FineTuneRequest(Epochs: 1, Suffix: "covers", TrainingType: "developerTier", DeleteDeploymentAfterEvaluation: true), new EvaluationRequest())), Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;

        var evaluated = await WaitForRunAsync(api, run.Id, r => r.LatestEvaluationId is not null || r.FineTuneStep?.Status is StepStatus.Failed || r.Upload?.Status is StepStatus.Failed);
        Assert.True(evaluated.FineTuneStep?.Status == StepStatus.Succeeded, $"{evaluated.Upload?.Message} / {evaluated.FineTuneStep?.Message}");
        Assert.Contains("processed by Azure OpenAI", evaluated.Upload!.Message);
        var fineTune = evaluated.FineTune!;
        Assert.Equal("developerTier", fineTune.Settings.TrainingType);
        Assert.StartsWith("gpt-4o-2024-08-06.ft-", fineTune.FineTunedModel);
        Assert.EndsWith("-covers", fineTune.FineTunedModel);
        Assert.Equal($"vqa-{run.Id}", fineTune.DeploymentName);
        Assert.Equal(("Succeeded", "GlobalStandard", 1.70m), (fineTune.DeploymentState, fineTune.DeploymentSku, fineTune.HostingUsdPerHour));
        // Capacity 50 by default, shown as tokens a minute.
        Assert.Equal((50, 50_000L), (fineTune.DeploymentCapacity, fineTune.DeploymentTokensPerMinute));
        Assert.False(fineTune.NeedsDeployment);

        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluated.LatestEvaluationId}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.True(evaluation!.Step.Status == StepStatus.Succeeded, evaluation.Step.Message);
        // Through deployments: the base model's, the fine-tune's, and the judge's.
        Assert.Equal([("base", "gpt-4o"), ("fine-tuned", fineTune.DeploymentName!)], evaluation.Models.Select(m => (m.Name, m.Model)));
        Assert.Equal("gpt-4o-judge", evaluation.Settings.JudgeModel);
        var testExamples = evaluated.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        Assert.All(evaluation.Summary!.Models, m => Assert.Equal(testExamples, m.Answered));

        // Chosen at the start: the deployment goes once the evaluation is done (Resource Manager answers 202, so it is
        // Deleting until a read of the run finds it gone), and the fine-tune no longer answers.
        var deleted = await WaitForRunAsync(api, run.Id, r => r.FineTune?.DeploymentState == "Deleted");
        Assert.True(deleted.FineTune!.NeedsDeployment);
        using var emulator = fixture.CreateHttpClient("openai-emulator");
        emulator.DefaultRequestHeaders.Add("api-key", "any");
        using var answer = await emulator.PostAsJsonAsync("/openai/v1/chat/completions",
            new { model = fineTune.DeploymentName, messages = new[] { new { role = "user", content = "Who wrote this book?" } } });
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("DeploymentNotFound", await answer.Content.ReadAsStringAsync());

        // The buttons: deploy again, then delete by hand.
        using var deploy = await api.PostAsync($"/api/runs/{run.Id}/fine-tune/deploy", null);
        Assert.Equal(HttpStatusCode.OK, deploy.StatusCode);
        var redeployed = await WaitForRunAsync(api, run.Id, r => r.FineTune?.DeploymentState is "Succeeded" or "Failed");
        Assert.Equal("Succeeded", redeployed.FineTune!.DeploymentState);
        Assert.False(redeployed.FineTune.NeedsDeployment);
        // Deployed by hand after the automatic delete: not deleted again by the pipeline's setting.
        Assert.False(redeployed.FineTune.Settings.DeleteDeploymentAfterEvaluation);
        using var delete = await api.DeleteAsync($"/api/runs/{run.Id}/fine-tune/deployment");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("Deleting", (await delete.Content.ReadFromJsonAsync<RunView>(Json))!.FineTune!.DeploymentState);
        using var again = await api.DeleteAsync($"/api/runs/{run.Id}/fine-tune/deployment");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await WaitForRunAsync(api, run.Id, r => r.FineTune?.DeploymentState == "Deleted");

        // An evaluation of a run whose deployment is gone is refused before anything is asked, saying how to go on.
        using var evaluate = await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations", new EvaluationRequest(), Json);
        Assert.Equal(HttpStatusCode.Conflict, evaluate.StatusCode);
        Assert.Contains("deploy it again", await evaluate.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ABatchEvaluationOfTheBaseModelRunsThroughTheGlobalBatchDeployment()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api);
        using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(10, 5, 10), Prompt: new PromptSettings(FewShotCount: 1),
            Continue: new PipelineContinuation(null, new EvaluationRequest(Mode: "batch"))), Json);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;

        var evaluated = await WaitForRunAsync(api, run.Id, r => r.LatestEvaluationId is not null || r.Prepare.Status is StepStatus.Failed);
        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluated.LatestEvaluationId}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.True(evaluation!.Step.Status == StepStatus.Succeeded, evaluation.Step.Message);
        Assert.Equal("batch", evaluation.Settings.Mode);
        Assert.Equal([("base", "gpt-4o-batch")], evaluation.Models.Select(m => (m.Name, m.Model)));
    }

    [Fact]
    public async Task ADeveloperTierFineTuneOfGpt41IsDeployedFreeOfHostingExpiresAndDeploysAgain()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api);
        using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(12, 0, 4), Prompt: new PromptSettings(FewShotCount: 1),
            Continue: new PipelineContinuation(new FineTuneRequest(BaseModel: "gpt-4.1-2025-04-14", Epochs: 2, TrainingType: "developerTier", DeploymentSku: "DeveloperTier"), null)), Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;

        var trained = await WaitForRunAsync(api, run.Id, r => r.FineTuneStep?.Status is StepStatus.Succeeded or StepStatus.Failed || r.Upload?.Status is StepStatus.Failed);
        Assert.True(trained.FineTuneStep?.Status == StepStatus.Succeeded, $"{trained.Upload?.Message} / {trained.FineTuneStep?.Message}");
        var fineTune = trained.FineTune!;
        Assert.StartsWith("gpt-4.1-2025-04-14.ft-", fineTune.FineTunedModel);
        // No hourly hosting fee for Developer (fine-tune-test); capacity 50 as its sample deploys it.
        Assert.Equal(("Succeeded", "DeveloperTier", 0m, 50), (fineTune.DeploymentState, fineTune.DeploymentSku, fineTune.HostingUsdPerHour, fineTune.DeploymentCapacity));
        var deployedAt = DateTimeOffset.UtcNow;

        // The same run asking to deploy a gpt-4o fine-tune as Developer is refused before anything is spent.
        using var gpt4o = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tune", new FineTuneRequest(DeploymentSku: "DeveloperTier"), Json);
        Assert.Equal(HttpStatusCode.BadRequest, gpt4o.StatusCode);
        Assert.Contains("only GPT-4.1 models", await gpt4o.Content.ReadAsStringAsync());

        // A checkpoint answers only through a deployment of it: an evaluation naming it is refused before anything is
        // asked, saying how to deploy it; once deployed, the evaluation asks that deployment.
        var checkpoint = fineTune.Checkpoints.Single(c => c.Model != fineTune.FineTunedModel);
        var byCheckpoint = new EvaluationRequest(Models: [new EvaluationModel("epoch-1", checkpoint.Model)]);
        using (var refused = await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations", byCheckpoint, Json))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains($"/fine-tune/checkpoints/{checkpoint.Step}/deploy", await refused.Content.ReadAsStringAsync());
        }

        using (var deployCheckpoint = await api.PostAsync($"/api/runs/{run.Id}/fine-tune/checkpoints/{checkpoint.Step}/deploy", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, deployCheckpoint.StatusCode);
        }

        // Refused (spending nothing) until the checkpoint's deployment has provisioned, then started.
        var started = await WaitAsync(async () => await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations", byCheckpoint, Json), r => r.StatusCode != HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var checkpointEvaluationId = (await started.Content.ReadFromJsonAsync<EvaluationView>(Json))!.Id;
        var checkpointEvaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{checkpointEvaluationId}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.True(checkpointEvaluation!.Step.Status == StepStatus.Succeeded, checkpointEvaluation.Step.Message);
        Assert.Equal([("epoch-1", AzureFineTuneSteps.CheckpointDeploymentNameFor(run.Id, checkpoint.Step))], checkpointEvaluation.Models.Select(m => (m.Name, m.Model)));
        Assert.Equal(0, checkpointEvaluation.Summary!.Models.Single().Failed);
        (await api.DeleteAsync($"/api/runs/{run.Id}/fine-tune/checkpoints/{checkpoint.Step}/deployment")).EnsureSuccessStatusCode();

        // Azure removes a Developer deployment after its fixed lifetime: the run shows it gone, with no cost, and Deploy works again.
        var expired = await WaitForRunAsync(api, run.Id, r => r.FineTune?.DeploymentState == "Deleted");
        Assert.True(DateTimeOffset.UtcNow - deployedAt >= AzureFixture.DeveloperTierLifetime - TimeSpan.FromSeconds(5), "The Developer deployment went before its lifetime.");
        Assert.True(expired.FineTune!.NeedsDeployment);
        using var deploy = await api.PostAsync($"/api/runs/{run.Id}/fine-tune/deploy", null);
        Assert.Equal(HttpStatusCode.OK, deploy.StatusCode);
        var redeployed = await WaitForRunAsync(api, run.Id, r => r.FineTune?.DeploymentState is "Succeeded" or "Failed");
        Assert.Equal(("Succeeded", "DeveloperTier"), (redeployed.FineTune!.DeploymentState, redeployed.FineTune.DeploymentSku));
    }

    [Fact]
    public async Task AnswersRefusedByTheContentFilterAreCountedAsFilteredNotLeftUnanswered()
    {
        using var api = fixture.CreateHttpClient("api");
        using var emulator = fixture.CreateHttpClient("openai-emulator");
        emulator.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test");
        await WaitForDatasetAsync(api);
        // The base model's deployment refuses every prompt; the judge's answers as usual.
        (await emulator.PostAsJsonAsync("/admin/faults", new { content_filter_rate = 1.0, content_filter_deployments = new[] { "gpt-4o" } })).EnsureSuccessStatusCode();
        try
        {
            using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(10, 0, 6), Prompt: new PromptSettings(FewShotCount: 1),
                Continue: new PipelineContinuation(null, new EvaluationRequest())), Json);
            var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;
            var evaluated = await WaitForRunAsync(api, run.Id, r => r.LatestEvaluationId is not null || r.Prepare.Status is StepStatus.Failed);
            var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluated.LatestEvaluationId}", Json),
                e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);

            // The provider's verdict, not a failure to retry: the evaluation succeeds and says how many were refused.
            Assert.True(evaluation!.Step.Status == StepStatus.Succeeded, evaluation.Step.Message);
            Assert.Contains("refused by the provider's content filter", evaluation.Step.Message);
            var testExamples = evaluated.Preparation!.Splits.Single(s => s.Split == "test").Examples;
            var scores = evaluation.Summary!.Models.Single(m => m.Name == "base");
            Assert.Equal((0, 0, testExamples), (scores.Answered, scores.Failed, scores.Filtered));
            Assert.Equal(testExamples, scores.Overall.Filtered);
            // Counted wrong: every example stays in the denominator.
            Assert.All(new[] { scores.Overall.YesNoStrict, scores.Overall.JudgeStrict }.OfType<Accuracy>(), a => Assert.Equal(0, a.Right));

            using var examples = await api.GetAsync($"/api/evaluations/{evaluation.Id}/examples?limit=500");
            var page = await examples.Content.ReadFromJsonAsync<JsonElement>(Json);
            Assert.All(page.GetProperty("items").EnumerateArray(), e =>
            {
                var answer = e.GetProperty("answers")[0];
                Assert.True(answer.GetProperty("filtered").GetBoolean());
                Assert.Contains("content filter", answer.GetProperty("error").GetString());
            });
        }
        finally
        {
            (await emulator.PostAsJsonAsync("/admin/faults", new { })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task OneEvaluationAnswersWithModelsOfTwoProvidersSideBySide()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api);
        using var prepare = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(10, 5, 10), Prompt: new PromptSettings(FewShotCount: 1)), Json);
        var run = (await prepare.Content.ReadFromJsonAsync<RunView>(Json))!;
        var prepared = await WaitForRunAsync(api, run.Id, r => r.Prepare.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, prepared.Prepare.Status);

        // A provider nobody configured is refused before anything runs, naming it and the ones there are.
        using var unknown = await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations",
            new EvaluationRequest(Models: [new EvaluationModel("bard", "gpt-4o", Provider: "bard")]), Json);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var refusal = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("'bard'", refusal);
        Assert.Contains("openai", refusal);

        // The run's provider (Azure: a deployment) and the other one (OpenAI: a snapshot name), in one evaluation.
        using var start = await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations", new EvaluationRequest(Models:
            [new EvaluationModel("azure gpt-4o", "gpt-4o"), new EvaluationModel("openai gpt-4o", "gpt-4o-2024-08-06", Provider: "openai")]), Json);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var started = (await start.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{started.Id}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.True(evaluation!.Step.Status == StepStatus.Succeeded, evaluation.Step.Message);
        Assert.Equal([("azure gpt-4o", null), ("openai gpt-4o", "openai")], evaluation.Models.Select(m => (m.Name, m.Provider)));
        var testExamples = prepared.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        Assert.Equal([testExamples, testExamples], evaluation.Summary!.Models.Select(m => m.Answered));

        // Azure knows no deployment named after the snapshot: the second model's answers came through the other provider.
        using var emulator = fixture.CreateHttpClient("openai-emulator");
        emulator.DefaultRequestHeaders.Add("api-key", "any");
        using var onAzure = await emulator.PostAsJsonAsync("/openai/v1/chat/completions",
            new { model = "gpt-4o-2024-08-06", messages = new[] { new { role = "user", content = "Who wrote this book?" } } });
        Assert.Equal(HttpStatusCode.NotFound, onAzure.StatusCode);

        // The other provider's key never comes back out.
        foreach (var path in (string[])[$"/api/evaluations/{started.Id}", $"/api/runs/{run.Id}", "/api/status", $"/api/evaluations/{started.Id}/export.json"])
        {
            Assert.DoesNotContain(OtherProviderKey, await api.GetStringAsync(path), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ARunFineTunedOnOpenAIIsRunAgainOnAzureKeepingBothAndOneEvaluationAsksEachOnItsProvider()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api);
        using var prepare = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(10, 5, 10), Prompt: new PromptSettings(FewShotCount: 1)), Json);
        var run = (await prepare.Content.ReadFromJsonAsync<RunView>(Json))!;
        Assert.Equal(StepStatus.Succeeded, (await WaitForRunAsync(api, run.Id, r => r.Prepare.Status is StepStatus.Succeeded or StepStatus.Failed)).Prepare.Status);

        // Fine-tuned on OpenAI first (the other provider: the emulator's /v1 with its own key).
        using (var onOpenAI = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tunes", new FineTuneOnProviderRequest("openai", new FineTuneRequest(Epochs: 1, Suffix: "covers")), Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, onOpenAI.StatusCode);
        }

        var trainedOnOpenAI = await WaitForRunAsync(api, run.Id, r => r.FineTuneStep?.Status is StepStatus.Succeeded or StepStatus.Failed || r.Upload?.Status is StepStatus.Failed);
        Assert.True(trainedOnOpenAI.FineTuneStep?.Status == StepStatus.Succeeded, $"{trainedOnOpenAI.Upload?.Message} / {trainedOnOpenAI.FineTuneStep?.Message}");
        var openAI = trainedOnOpenAI.FineTune!;
        Assert.Equal(("openai", "openai", null), (openAI.Provider, openAI.ProviderKind, openAI.DeploymentName));
        Assert.StartsWith("ft:gpt-4o-2024-08-06:", openAI.FineTunedModel);

        // A provider that is not configured, and one that cannot fine-tune, are refused naming the field; nothing changes.
        using (var unknown = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tunes", new FineTuneOnProviderRequest("bedrock"), Json))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("provider 'bedrock' is not one of azure (the app's provider), openai", await unknown.Content.ReadAsStringAsync());
        }

        using (var badBase = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tunes", new FineTuneOnProviderRequest("azure", new FineTuneRequest("gpt-4o-mini-2024-07-18")), Json))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badBase.StatusCode);
            Assert.Contains("baseModel 'gpt-4o-mini-2024-07-18'", await badBase.Content.ReadAsStringAsync());
        }

        // Run again on Azure (OpenAI takes no new jobs from 2027-01-06): the same prepared files and settings, a new job, deployed.
        using (var onAzure = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tunes", new FineTuneOnProviderRequest("azure"), Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, onAzure.StatusCode);
        }

        var moved = await WaitForRunAsync(api, run.Id, r => r.FineTune?.JobId != openAI.JobId && (r.FineTuneStep?.Status is StepStatus.Succeeded or StepStatus.Failed || r.Upload?.Status is StepStatus.Failed));
        Assert.True(moved.FineTuneStep?.Status == StepStatus.Succeeded, $"{moved.Upload?.Message} / {moved.FineTuneStep?.Message}");
        Assert.Contains("processed by Azure OpenAI", moved.Upload!.Message);
        var azure = moved.FineTune!;
        Assert.Equal((null, "azure", $"vqa-{run.Id}", "Succeeded"), (azure.Provider, azure.ProviderKind, azure.DeploymentName, azure.DeploymentState));
        Assert.StartsWith("gpt-4o-2024-08-06.ft-", azure.FineTunedModel);
        Assert.EndsWith("-covers", azure.FineTunedModel);
        // The OpenAI fine-tune is kept as it ended, with its training curve.
        var kept = Assert.Single(moved.EarlierFineTunes!);
        Assert.Equal((openAI.JobId, openAI.FineTunedModel, "openai", "succeeded"), (kept.JobId, kept.FineTunedModel, kept.Provider, kept.Status));
        var fineTunes = await api.GetFromJsonAsync<List<FineTuneView>>($"/api/runs/{run.Id}/fine-tunes", Json);
        Assert.Equal([("openai", openAI.JobId), (null, azure.JobId)], fineTunes!.Select(f => (f.Provider, f.JobId)));
        Assert.NotEmpty((await api.GetFromJsonAsync<List<FineTunePoint>>($"/api/runs/{run.Id}/fine-tune/metrics?job={openAI.JobId}", Json))!);
        using (var unknownJob = await api.GetAsync($"/api/runs/{run.Id}/fine-tune/metrics?job=ftjob-none"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknownJob.StatusCode);
        }


        // One evaluation: the base and the Azure fine-tune through their deployments, the OpenAI fine-tune through OpenAI.
        using var start = await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations", new EvaluationRequest(), Json);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var started = (await start.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{started.Id}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.True(evaluation!.Step.Status == StepStatus.Succeeded, evaluation.Step.Message);
        Assert.Equal([("base", "gpt-4o", null), ("fine-tuned", azure.DeploymentName!, null), ("fine-tuned on openai", openAI.FineTunedModel!, "openai")],
            evaluation.Models.Select(m => (m.Name, m.Model, m.Provider)));
        var testExamples = moved.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        Assert.Equal([("base", testExamples), ("fine-tuned", testExamples), ("fine-tuned on openai", testExamples)],
            evaluation.Summary!.Models.Select(m => (m.Name, m.Answered)));
        (await api.DeleteAsync($"/api/runs/{run.Id}/fine-tune/deployment")).EnsureSuccessStatusCode();
    }

    private static async Task WaitForDatasetAsync(HttpClient api) =>
        await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>("/api/datasets/sample", Json),
            d => d.GetProperty("status").GetString() is "ready" or "failed");

    private static Task<RunView> WaitForRunAsync(HttpClient api, string runId, Func<RunView, bool> done) =>
        WaitAsync(async () => (await api.GetFromJsonAsync<RunView>($"/api/runs/{runId}", Json))!, done);
}
