using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using static VqaAspire.Tests.Infrastructure.Polling;

namespace VqaAspire.Tests.FineTuning;

/// <summary>
/// The one-click pipeline with <c>openai-kind=azure-emulator</c>: the api talks Azure OpenAI to the emulator's Azure
/// surfaces, so every Azure rule holds: files processed before the job, a training type, a Resource Manager deployment
/// of the fine-tune, evaluation through deployments, and the deployment deleted after the evaluation.
/// </summary>
[Trait("Category", TestCategories.App)]
public sealed class AzurePipelineTests(AzurePipelineTests.AzureFixture fixture) : IClassFixture<AzurePipelineTests.AzureFixture>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>The key of the second provider (OpenAI's surface of the emulator), which must never come back out of the api.</summary>
    public const string OtherProviderKey = "sk-other-provider-5f1c9e27d4b8";

    public sealed class AzureFixture : VqaAppFixture
    {
        // A second provider for evaluations, through the AppHost's configuration: OpenAI (the emulator's /v1) with its own key.
        protected override IEnumerable<string> Arguments =>
            ["--Parameters:openai-kind=azure-emulator", "--OtherProviders:openai:Kind=openai", $"--OtherProviders:openai:ApiKey={OtherProviderKey}"];

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            var emulator = builder.CreateResourceBuilder<ProjectResource>("openai-emulator").GetEndpoint("http");
            builder.CreateResourceBuilder<ProjectResource>("api")
                .WithEnvironment("FineTuning__PollInterval", "00:00:01")
                .WithEnvironment("Evaluation__BatchPollInterval", "00:00:01")
                .WithEnvironment("OtherProviders__openai__Endpoint", ReferenceExpression.Create($"{emulator}/v1"));
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
            Continue: new PipelineContinuation(new FineTuneRequest(Epochs: 1, Suffix: "covers", TrainingType: "Developer", DeleteDeploymentAfterEvaluation: true), new EvaluationRequest())), Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;

        var evaluated = await WaitForRunAsync(api, run.Id, r => r.LatestEvaluationId is not null || r.FineTuneStep?.Status is StepStatus.Failed || r.Upload?.Status is StepStatus.Failed);
        Assert.True(evaluated.FineTuneStep?.Status == StepStatus.Succeeded, $"{evaluated.Upload?.Message} / {evaluated.FineTuneStep?.Message}");
        Assert.Contains("processed by Azure OpenAI", evaluated.Upload!.Message);
        var fineTune = evaluated.FineTune!;
        Assert.Equal("Developer", fineTune.Settings.TrainingType);
        Assert.StartsWith("gpt-4o-2024-08-06.ft-", fineTune.FineTunedModel);
        Assert.EndsWith("-covers", fineTune.FineTunedModel);
        Assert.Equal($"vqa-{run.Id}", fineTune.DeploymentName);
        Assert.Equal(("Succeeded", "GlobalStandard", 1.70m), (fineTune.DeploymentState, fineTune.DeploymentSku, fineTune.HostingUsdPerHour));
        Assert.False(fineTune.NeedsDeployment);

        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluated.LatestEvaluationId}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.True(evaluation!.Step.Status == StepStatus.Succeeded, evaluation.Step.Message);
        // Through deployments: the base model's, the fine-tune's, and the judge's.
        Assert.Equal([("base", "gpt-4o"), ("fine-tuned", fineTune.DeploymentName!)], evaluation.Models.Select(m => (m.Name, m.Model)));
        Assert.Equal("gpt-4o-judge", evaluation.Settings.JudgeModel);
        var testExamples = evaluated.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        Assert.All(evaluation.Summary!.Models, m => Assert.Equal(testExamples, m.Answered));

        // Chosen at the start: the deployment goes once the evaluation is done, and the fine-tune no longer answers.
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
        Assert.Equal("Deleted", (await delete.Content.ReadFromJsonAsync<RunView>(Json))!.FineTune!.DeploymentState);
        using var again = await api.DeleteAsync($"/api/runs/{run.Id}/fine-tune/deployment");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
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

    private static async Task WaitForDatasetAsync(HttpClient api) =>
        await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>("/api/datasets/sample", Json),
            d => d.GetProperty("status").GetString() is "ready" or "failed");

    private static Task<RunView> WaitForRunAsync(HttpClient api, string runId, Func<RunView, bool> done) =>
        WaitAsync(async () => (await api.GetFromJsonAsync<RunView>($"/api/runs/{runId}", Json))!, done);
}
