using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using static VqaAspire.Tests.Infrastructure.Polling;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// The pipeline under the provider's faults (429s with Retry-After, 500s, latency spikes) and with the api killed and
/// started again in the middle of a preparation, a fine-tune and an evaluation: nothing is done twice, nothing is lost.
/// </summary>
[Trait("Category", TestCategories.App)]
[Collection(WholeAppCollections.First)]
public sealed class FaultToleranceTests(FaultToleranceTests.RestartFixture fixture) : WholeAppTest(fixture), IClassFixture<FaultToleranceTests.RestartFixture>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public sealed class RestartFixture : VqaAppFixture
    {
        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("FineTuning__PollInterval", "00:00:01");
            // A job long enough to stop the api in the middle of it: 30 steps of 400 ms.
            builder.CreateResourceBuilder<ProjectResource>("openai-emulator").WithEnvironment("Emulator__FineTuning__StepMilliseconds", "400");
        }
    }

    [Fact]
    public async Task AFineTuneFollowedAcrossARestartCompletesWithOneJob()
    {
        var run = await PrepareAsync(new SamplingSettings(20, 5, 5));
        using (var api = fixture.CreateHttpClient("api"))
        {
            using var start = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tune", new FineTuneRequest(Epochs: 1), Json);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{run.Id}", Json), r => r!.FineTune?.Status == "running");
        }

        await fixture.KillAndRestartAsync("api");

        using var restarted = fixture.CreateHttpClient("api");
        var done = await WaitAsync(async () => await restarted.GetFromJsonAsync<RunView>($"/api/runs/{run.Id}", Json),
            r => r!.FineTuneStep?.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, done!.FineTuneStep!.Status);
        Assert.StartsWith("ft:", done.FineTune!.FineTunedModel);

        using var emulator = EmulatorClient();
        var jobs = await emulator.GetFromJsonAsync<JsonElement>("/v1/fine_tuning/jobs?limit=100");
        var forThisRun = jobs.GetProperty("data").EnumerateArray()
            .Where(j => j.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("vqa_run_id", out var id) && id.GetString() == run.Id)
            .ToList();
        Assert.Single(forThisRun);

        var events = await restarted.GetFromJsonAsync<List<FineTuneEvent>>($"/api/runs/{run.Id}/fine-tune/events?limit=1000", Json);
        Assert.NotEmpty(events!);
        Assert.Equal(events!.Count, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task AnEvaluationResumedAfterARestartAsksOnlyWhatWasNotAnswered()
    {
        var run = await PrepareAsync(new SamplingSettings(12, 0, 20));
        using var emulator = EmulatorClient();
        // Slow answers, so the api is stopped mid-way.
        using (var faults = await emulator.PostAsJsonAsync("/admin/faults", new { latency_milliseconds = 120 }))
        {
            faults.EnsureSuccessStatusCode();
        }

        string evaluationId;
        using (var api = fixture.CreateHttpClient("api"))
        {
            var models = new[] { new EvaluationModel("base", "gpt-4o-2024-08-06"), new EvaluationModel("mini", "gpt-4o-mini") };
            using var start = await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations", new EvaluationRequest(models, MaxConcurrency: 2), Json);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            evaluationId = (await start.Content.ReadFromJsonAsync<EvaluationView>(Json))!.Id;
            await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluationId}", Json), e => e!.Step.Progress >= 0.25);
        }

        await fixture.KillAndRestartAsync("api");
        using (var faults = await emulator.PostAsJsonAsync("/admin/faults", new { }))
        {
            faults.EnsureSuccessStatusCode();
        }

        using var restarted = fixture.CreateHttpClient("api");
        var evaluation = await WaitAsync(async () => await restarted.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluationId}", Json),
            e => e!.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, evaluation!.Step.Status);

        var examples = run.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        var answers = File.ReadLines(Path.Combine(fixture.WorkspaceRoot, "runs", run.Id, "evaluations", evaluationId, "answers.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(a => a.GetProperty("error").ValueKind == JsonValueKind.Null)
            .Select(a => (Model: a.GetProperty("model").GetString(), Example: a.GetProperty("example_id").GetString()))
            .ToList();
        // Every example answered by each model, and none recorded twice.
        Assert.Equal(examples * 2, answers.Count);
        Assert.Equal(answers.Count, answers.Distinct().Count());
        Assert.All(evaluation.Summary!.Models, m => Assert.Equal(examples, m.Answered));
    }

    [Fact]
    public async Task APreparationInterruptedByAKilledApiFinishesWithEveryExampleOnceAndKeepsTheImagesItHadEncoded()
    {
        using var api = fixture.CreateHttpClient("api");
        // A sample big enough that preparing it takes seconds on an idle machine too (the default one can finish
        // between two polls), prepared whole at a quality no other test uses: every image is encoded cold, so the
        // api is killed mid-way.
        using var import = await api.PostAsJsonAsync("/api/datasets", new ImportRequest(DatasetSourceKinds.Sample, Sample: new SampleOptions(Train: 1500, Validation: 100, Test: 100)), Json);
        var datasetId = (await import.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ImportAccepted>(Json))!.Id;
        var dataset = await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>($"/api/datasets/{datasetId}", Json), d => d.GetProperty("status").GetString() != "importing");
        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        var request = new PrepareRequest(datasetId, new SamplingSettings(100_000, 100_000, 100_000), new ImageSettings(Quality: 37), new PromptSettings(FewShotCount: 1));
        using var response = await api.PostAsJsonAsync("/api/runs", request, Json);
        var runId = (await response.Content.ReadFromJsonAsync<RunView>(Json))!.Id;
        var interrupted = await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{runId}", Json),
            r => r!.Prepare.Status is not (StepStatus.Queued or StepStatus.Running) || r.Prepare.Progress >= 0.1);
        Assert.Equal(StepStatus.Running, interrupted!.Prepare.Status);

        await fixture.KillAndRestartAsync("api");

        using var restarted = fixture.CreateHttpClient("api");
        var run = await WaitAsync(async () => await restarted.GetFromJsonAsync<RunView>($"/api/runs/{runId}", Json), r => r!.Prepare.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, run!.Prepare.Status);
        var outcome = run.Preparation!;
        var images = dataset.GetProperty("splits").EnumerateArray().Sum(s => s.GetProperty("images").GetInt32());
        // The images encoded before the kill came back from the cache; none was encoded twice after it. (The few-shot
        // pair's image is read once more, for the prompt.)
        Assert.True(outcome.ImagesFromCache > 0, $"{outcome.ImagesFromCache} images from the cache");
        Assert.Equal(images + 1, outcome.ImagesFromCache + outcome.ImagesEncoded);
        foreach (var split in outcome.Splits)
        {
            var stats = dataset.GetProperty("splits").EnumerateArray().Single(s => s.GetProperty("split").GetString() == split.Split);
            Assert.Equal(stats.GetProperty("qaPairs").GetInt32(), split.Examples);
            Assert.True(split.Validation.IsValid, $"{split.Split}: {string.Join("; ", split.Validation.Errors.Select(e => e.Message))}");
            var lines = (await restarted.GetStringAsync($"/api/runs/{runId}/files/{split.Split}.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(split.Examples, lines.Length);
            var exampleIds = File.ReadLines(Path.Combine(fixture.WorkspaceRoot, "runs", runId, "prepared", $"{split.Split}.examples.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("example_id").GetString())
                .ToList();
            Assert.Equal(split.Examples, exampleIds.Count);
            Assert.Equal(exampleIds.Count, exampleIds.Distinct().Count());
        }
    }

    [Fact]
    public async Task TheOneClickPipelineUnderRateLimitsServerErrorsAndLatencySpikesDoesEverythingOnce()
    {
        using var emulator = EmulatorClient();
        var faults = new
        {
            rate_limit_error_rate = 0.10,
            retry_after_milliseconds = 200,
            server_error_rate = 0.05,
            server_error_statuses = new[] { 500 },
            latency_spike_rate = 0.05,
            latency_spike_milliseconds = 1500,
        };
        (await emulator.PostAsJsonAsync("/admin/faults", faults)).EnsureSuccessStatusCode();
        try
        {
            using var api = fixture.CreateHttpClient("api");
            await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>("/api/datasets/sample", Json), d => d.GetProperty("status").GetString() == "ready");
            var request = new PrepareRequest("sample", new SamplingSettings(20, 5, 16), Prompt: new PromptSettings(FewShotCount: 1),
                Continue: new PipelineContinuation(new FineTuneRequest(Epochs: 1), new EvaluationRequest(MaxConcurrency: 4)));
            using var response = await api.PostAsJsonAsync("/api/runs", request, Json);
            var runId = (await response.Content.ReadFromJsonAsync<RunView>(Json))!.Id;

            var run = await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{runId}", Json),
                r => r!.LatestEvaluationId is not null || r.Prepare.Status is StepStatus.Failed || r.FineTuneStep?.Status is StepStatus.Failed);
            Assert.Equal(StepStatus.Succeeded, run!.FineTuneStep?.Status);
            var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{run.LatestEvaluationId}", Json),
                e => e!.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
            Assert.Equal(StepStatus.Succeeded, evaluation!.Step.Status);

            // One job for the run, whatever was retried on the way. (Faults off first: they would hit this check too.)
            (await emulator.PostAsJsonAsync("/admin/faults", new { })).EnsureSuccessStatusCode();
            var jobs = await emulator.GetFromJsonAsync<JsonElement>("/v1/fine_tuning/jobs?limit=100");
            Assert.Single(jobs.GetProperty("data").EnumerateArray(), j => j.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
                && m.TryGetProperty("vqa_run_id", out var id) && id.GetString() == runId);

            // Every test example answered by both models exactly once, none left with an error, every open answer judged.
            var examples = run.Preparation!.Splits.Single(s => s.Split == "test").Examples;
            var answers = File.ReadLines(Path.Combine(fixture.WorkspaceRoot, "runs", runId, "evaluations", evaluation.Id, "answers.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement)
                .ToList();
            Assert.All(answers, a => Assert.Equal(JsonValueKind.Null, a.GetProperty("error").ValueKind));
            Assert.Equal(examples * 2, answers.Count);
            Assert.Equal(answers.Count, answers.Select(a => (a.GetProperty("model").GetString(), a.GetProperty("example_id").GetString())).Distinct().Count());
            var export = await api.GetFromJsonAsync<JsonElement>($"/api/evaluations/{evaluation.Id}/export.json", Json);
            var scored = export.GetProperty("examples").EnumerateArray().SelectMany(e => e.GetProperty("answers").EnumerateArray()).ToList();
            Assert.Equal(examples * 2, scored.Count);
            Assert.All(scored.Where(a => a.GetProperty("anls").ValueKind != JsonValueKind.Null),
                a => Assert.NotEqual(JsonValueKind.Null, a.GetProperty("judgeRating").ValueKind));
        }
        finally
        {
            (await emulator.PostAsJsonAsync("/admin/faults", new { })).EnsureSuccessStatusCode();
        }
    }

    private async Task<RunView> PrepareAsync(SamplingSettings sampling)
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>("/api/datasets/sample", Json), d => d.GetProperty("status").GetString() == "ready");
        using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", sampling, Prompt: new PromptSettings(FewShotCount: 1)), Json);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;
        var prepared = await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{run.Id}", Json), r => r!.Prepare.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, prepared!.Prepare.Status);
        return prepared;
    }

    private HttpClient EmulatorClient()
    {
        var client = fixture.CreateHttpClient("openai-emulator");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test");
        return client;
    }
}
