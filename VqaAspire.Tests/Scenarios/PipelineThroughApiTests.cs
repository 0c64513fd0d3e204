using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using static VqaAspire.Tests.Infrastructure.Polling;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// The cookbook pipeline through the api on the emulator, as a user drives it: the sample dataset imported at start,
/// prepared into validated JSONL, prepared again from the cache, fine-tuned, and evaluated base against fine-tuned.
/// </summary>
[Trait("Category", TestCategories.App)]
[Collection(WholeAppCollections.Second)]
public sealed partial class PipelineThroughApiTests(PipelineThroughApiTests.PipelineFixture fixture) : WholeAppTest(fixture), IClassFixture<PipelineThroughApiTests.PipelineFixture>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public sealed class PipelineFixture : VqaAppFixture
    {
        /// <summary>The run both tests build on, prepared once.</summary>
        public RunView? Prepared { get; set; }

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            // Follow the emulator's quick jobs closely.
            builder.CreateResourceBuilder<ProjectResource>("api")
                .WithEnvironment("FineTuning__PollInterval", "00:00:01")
                .WithEnvironment("Evaluation__BatchPollInterval", "00:00:01")
                // Every prepared file is "large": uploads go through the Uploads API (parts, md5), as files over 512 MB do.
                .WithEnvironment("Provider__FilesApiMaxBytes", "1024");
        }
    }

    [Fact]
    public async Task SampleGoesFromImportToValidatedJsonlWithExactCountsAndASecondPreparationHitsTheCache()
    {
        using var api = fixture.CreateHttpClient("api");
        var dataset = await WaitForDatasetAsync(api, "sample");

        // Sampling more images than the splits hold takes every image: the examples must equal the dataset's QA pairs.
        var everything = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(100_000, 100_000, 100_000), Prompt: new PromptSettings(FewShotCount: 2)));
        foreach (var split in everything.Preparation!.Splits)
        {
            var stats = dataset.GetProperty("splits").EnumerateArray().Single(s => s.GetProperty("split").GetString() == split.Split);
            Assert.Equal(stats.GetProperty("images").GetInt32(), split.Images);
            Assert.Equal(stats.GetProperty("qaPairs").GetInt32(), split.Examples);
            Assert.True(split.Validation.IsValid, $"{split.Split}: {string.Join("; ", split.Validation.Errors.Select(e => e.Message))}");
            Assert.Equal(split.Examples, split.Validation.ValidLines);
        }

        // The reference sampling, then the same again: every image now comes from the cache.
        var first = await PrepareAsync(api, new PrepareRequest("sample"));
        var second = await PrepareAsync(api, new PrepareRequest("sample"));
        Assert.Equal([150, 50, 100], first.Preparation!.Splits.Select(s => s.Images));
        Assert.Equal(first.Preparation.Splits.Select(s => s.Examples), second.Preparation!.Splits.Select(s => s.Examples));
        Assert.Equal(0, second.Preparation.ImagesEncoded);
        Assert.Equal(first.Preparation.ImagesEncoded + first.Preparation.ImagesFromCache, second.Preparation.ImagesFromCache);

        var train = await api.GetStringAsync($"/api/runs/{first.Id}/files/train.jsonl");
        Assert.Equal(first.Preparation.Splits[0].Examples, train.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var estimate = await api.GetFromJsonAsync<TrainingEstimate>($"/api/runs/{first.Id}/estimate", Json);
        Assert.True(estimate!.EstimatedCostUsd > 0);
        Assert.Equal(3, estimate.Epochs);
        fixture.Prepared = first;
    }

    [Fact]
    public async Task AFineTuneOnTheEmulatorSucceedsAndTheEvaluationScoresBothModels()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var run = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(30, 10, 20), Prompt: new PromptSettings(FewShotCount: 1)));

        using var start = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tune", new FineTuneRequest(Epochs: 1, Suffix: "vqa-test"), Json);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var tuned = await WaitForRunAsync(api, run.Id, r => r.FineTuneStep?.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Cancelled);
        Assert.Equal(StepStatus.Succeeded, tuned.FineTuneStep!.Status);
        Assert.StartsWith("ft:gpt-4o-2024-08-06:", tuned.FineTune!.FineTunedModel);
        Assert.Contains("vqa-test", tuned.FineTune.FineTunedModel);
        Assert.True(tuned.FineTune.TrainedTokens > 0);
        var series = await api.GetFromJsonAsync<List<FineTunePoint>>($"/api/runs/{run.Id}/fine-tune/metrics", Json);
        Assert.NotEmpty(series!);

        // The same run again: the job is not created twice.
        using var again = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tune", new FineTuneRequest(), Json);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var evaluate = await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations", new EvaluationRequest(), Json);
        Assert.Equal(HttpStatusCode.Accepted, evaluate.StatusCode);
        var evaluationId = (await evaluate.Content.ReadFromJsonAsync<EvaluationView>(Json))!.Id;
        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluationId}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, evaluation!.Step.Status);
        Assert.True(evaluation.Emulated);
        var summary = evaluation.Summary!;
        Assert.Equal(["base", "fine-tuned"], summary.Models.Select(m => m.Name));
        var testExamples = run.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        Assert.All(summary.Models, m => Assert.Equal(testExamples, m.Answered));
        Assert.All(summary.Models, m => Assert.NotNull(m.Overall.YesNoStrict));
        Assert.All(summary.Models, m => Assert.True(m.JudgeRatings.Values.Sum() > 0));
        Assert.Contains(summary.PairedTests, t => t.Measure == "yes/no strict");
        // The dataset's preset reaches the evaluation, and on the emulator the reading is a pipeline check, not a verdict.
        Assert.Equal(("ocr-vqa", "Exact match"), (summary.Preset, summary.Metric));
        Assert.Contains("exercise the pipeline, not a model", summary.Reading);
        Assert.Equal("the emulator's string similarity", summary.Judge);

        var page = await api.GetFromJsonAsync<JsonElement>($"/api/evaluations/{evaluationId}/examples?limit=5", Json);
        Assert.Equal(testExamples, page.GetProperty("total").GetInt32());
        var csv = await api.GetStringAsync($"/api/evaluations/{evaluationId}/export.csv");
        Assert.Equal(testExamples * 2 + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith(",emulated,accepted_answers,metric,metric_score,cluster_id,model_snapshot,judge_snapshot", csv.Split('\n')[0]);

        // The export alone audits every score: what each example was scored against, its score, its cluster, who answered and judged.
        var export = await api.GetFromJsonAsync<JsonElement>($"/api/evaluations/{evaluationId}/export.json", Json);
        var results = export.GetProperty("examples").Deserialize<List<ExampleResult>>(Json)!;
        Assert.Equal(testExamples, results.Count);
        Assert.All(results, result =>
        {
            Assert.NotEmpty(result.AcceptedAnswers!);
            Assert.False(string.IsNullOrEmpty(result.ClusterId));
            Assert.All(result.Answers.Where(a => a.Answer is not null), answer =>
            {
                Assert.Equal(DatasetMetrics.Score(DatasetMetric.ExactMatchWithJudge, answer.Answer!, result.Truth, result.AcceptedAnswers!, result.Question), answer.MetricScore);
                Assert.False(string.IsNullOrEmpty(answer.ModelSnapshot));
                Assert.True(answer.JudgeRating is null || answer.JudgeSnapshot is { Length: > 0 }, $"{result.ExampleId}: a rating without the judge's snapshot");
            });
        });
        Assert.Contains(results, r => r.Answers.Any(a => a.JudgeSnapshot is not null));

        // The readings beyond the scores: power, what changed (its counts add up to its list), and cost per point from the run's fine-tune.
        Assert.Equal(("base", "fine-tuned"), (summary.Power!.ModelA, summary.Power.ModelB));
        Assert.Equal(summary.Changes!.Fixed + summary.Changes.Broken, summary.Changes.Examples.Count);
        Assert.Equal(summary.Changes.Fixed, summary.Changes.ByKind.Sum(k => k.Fixed));
        Assert.NotNull(summary.CostPerPoint);
        Assert.Equal(tuned.FineTune.EstimatedCostUsd, summary.CostPerPoint!.TrainingUsd);
        Assert.NotNull(summary.CostPerPoint.TrainingUsd);

        // Planning from this evaluation as the pilot, and a refusal that names the field.
        using var plan = await api.PostAsJsonAsync("/api/evaluations/power-plan", new PowerPlanRequest(10, evaluationId, Discordance: 0.2), Json);
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        var planned = (await plan.Content.ReadFromJsonAsync<PowerPlan>(Json))!;
        Assert.True(planned.Covers > 0, planned.Reading);
        Assert.Contains("discordance 0.2 (given)", planned.Assumptions);
        Assert.Contains(planned.Assumptions, a => a.StartsWith($"questions per cover {summary.Power.QuestionsPerCover.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} (pilot {evaluationId})", StringComparison.Ordinal));
        using var refused = await api.PostAsJsonAsync("/api/evaluations/power-plan", new PowerPlanRequest(0), Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("differencePoints", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OneRequestRunsTheWholeCookbookPipelineAndEveryChangeIsStreamed()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        // A stream outlives any request timeout: a plain client without the resilience handler's time limits.
        using var streaming = new HttpClient { BaseAddress = api.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var changes = new HttpRequestMessage(HttpMethod.Get, "/api/runs/changes");
        using var stream = await streaming.SendAsync(changes, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var events = System.Net.ServerSentEvents.SseParser.Create(await stream.Content.ReadAsStreamAsync()).EnumerateAsync();

        using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(20, 5, 10), Prompt: new PromptSettings(FewShotCount: 1),
            Continue: new PipelineContinuation(new FineTuneRequest(Epochs: 1), new EvaluationRequest())), Json);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;

        await using var enumerator = events.GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("ready", enumerator.Current.EventType);
        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(("run-changed", run.Id), (enumerator.Current.EventType, enumerator.Current.Data));

        var evaluated = await WaitForRunAsync(api, run.Id, r => r.LatestEvaluationId is not null || r.FineTuneStep?.Status is StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, evaluated.FineTuneStep?.Status);
        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluated.LatestEvaluationId}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, evaluation!.Step.Status);
        Assert.Equal(["base", "fine-tuned"], evaluation.Summary!.Models.Select(m => m.Name));
    }

    [Fact]
    public async Task ABatchEvaluationCollectsTheSameAnswersAtHalfThePrice()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var run = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(10, 0, 12), Prompt: new PromptSettings(FewShotCount: 1)));
        var models = new[] { new EvaluationModel("base", "gpt-4o-2024-08-06") };

        var sync = await EvaluateAsync(api, run.Id, new EvaluationRequest(models));
        var batch = await EvaluateAsync(api, run.Id, new EvaluationRequest(models, Mode: "batch"));

        var examples = run.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        var (syncScores, batchScores) = (sync.Summary!.Models.Single(), batch.Summary!.Models.Single());
        Assert.Equal(examples, batchScores.Answered);
        Assert.Equal(syncScores.Overall.YesNoStrict, batchScores.Overall.YesNoStrict);
        Assert.Equal(syncScores.PromptTokens, batchScores.PromptTokens);
        Assert.True(syncScores.CostUsd > 0);
        Assert.Equal(Math.Round(syncScores.CostUsd!.Value / 2, 4), batchScores.CostUsd!.Value, 3);
    }

    [Fact]
    public async Task AZeroShotBatchSendsWhatAZeroShotSyncSendsAndAnEmptyJudgeIsRefused()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var run = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(10, 0, 12), Prompt: new PromptSettings(FewShotCount: 1)));
        var models = new[] { new EvaluationModel("base", "gpt-4o-2024-08-06") };

        // An empty judge was once accepted and then shown running forever.
        using var refused = await api.PostAsync($"/api/runs/{run.Id}/evaluations",
            new StringContent("""{"judgeModel": ""}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("judgeModel", await refused.Content.ReadAsStringAsync());

        var fewShot = await EvaluateAsync(api, run.Id, new EvaluationRequest(models));
        var zeroShotSync = await EvaluateAsync(api, run.Id, new EvaluationRequest(models, ZeroShot: true));
        var zeroShotBatch = await EvaluateAsync(api, run.Id, new EvaluationRequest(models, ZeroShot: true, Mode: "batch"));

        // Batch mode once sent the few-shot prompts while the result said zero-shot.
        var (fewShotTokens, syncTokens, batchTokens) = (fewShot.Summary!.Models.Single().PromptTokens,
            zeroShotSync.Summary!.Models.Single().PromptTokens, zeroShotBatch.Summary!.Models.Single().PromptTokens);
        Assert.True(syncTokens < fewShotTokens, $"zero-shot {syncTokens} vs few-shot {fewShotTokens} prompt tokens");
        Assert.Equal(syncTokens, batchTokens);
        Assert.True(zeroShotBatch.Settings.ZeroShot);
    }

    [Fact]
    public async Task AModelThatAnswersNothingKeepsEveryExampleInItsScoreAsWrongAndSaysHowMany()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var run = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(10, 0, 12), Prompt: new PromptSettings(FewShotCount: 0)));
        // The emulator refuses a model it does not know (404), and nothing listens on port 9: every one of those models'
        // answers is lost, and the evaluation still scores them all.
        var models = new[]
        {
            new EvaluationModel("base", "gpt-4o-2024-08-06"), new EvaluationModel("ghost", "gpt-ghost-0000"),
            new EvaluationModel("offline", "llama3.1", "http://127.0.0.1:9/v1"),
        };

        using var response = await api.PostAsJsonAsync($"/api/runs/{run.Id}/evaluations", new EvaluationRequest(models), Json);
        var id = (await response.Content.ReadFromJsonAsync<EvaluationView>(Json))!.Id;
        var evaluation = (await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{id}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed))!;

        // Lost answers once left the denominator silently; now they count as wrong, and the count says so.
        var examples = run.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        // Base's answers were scored: the evaluation completes, saying how many went unanswered and that a retry asks only those.
        Assert.Equal(StepStatus.Succeeded, evaluation.Step.Status);
        Assert.StartsWith($"Completed with {2 * examples} unanswered", evaluation.Step.Message);
        Assert.Contains("Retry the unanswered", evaluation.Step.Message);
        var ghost = evaluation.Summary!.Models.Single(m => m.Name == "ghost");
        Assert.Equal((0, examples), (ghost.Answered, ghost.Failed));
        Assert.Equal((examples, 0.0), (ghost.Overall.Metric!.Examples, ghost.Overall.Metric.Value));
        Assert.Equal(examples, ghost.Overall.Unanswered);
        var offline = evaluation.Summary.Models.Single(m => m.Name == "offline");
        Assert.Equal((0, examples), (offline.Answered, offline.Failed));
        // The headline is on the examples both answered: none, and the coverage says why; no winner is named.
        var headline = evaluation.Summary.Headline!;
        Assert.Equal(("base", "ghost", 0, examples, 0), (headline.ModelA, headline.ModelB, headline.Pairs, headline.AnsweredA, headline.AnsweredB));
        Assert.Null(evaluation.Summary.Verdict!.Winner);
    }

    [Fact]
    public async Task TheSamePreparedContentIsUploadedOnceAndAJobCanBeCancelledAndAttached()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var request = new PrepareRequest("sample", new SamplingSettings(11, 3, 0), Prompt: new PromptSettings(FewShotCount: 0));
        var first = await PrepareAsync(api, request);
        var second = await PrepareAsync(api, request);

        (await api.PostAsJsonAsync($"/api/runs/{first.Id}/fine-tune", new FineTuneRequest(Epochs: 1), Json)).EnsureSuccessStatusCode();
        var tunedFirst = await WaitForRunAsync(api, first.Id, r => r.FineTune?.JobId is not null || r.FineTuneStep?.Status == StepStatus.Failed);
        (await api.PostAsJsonAsync($"/api/runs/{second.Id}/fine-tune", new FineTuneRequest(Epochs: 1), Json)).EnsureSuccessStatusCode();
        var tunedSecond = await WaitForRunAsync(api, second.Id, r => r.FineTune?.JobId is not null || r.FineTuneStep?.Status == StepStatus.Failed);

        // The same sample, seed and settings give byte-identical files: the second run reuses the first run's uploads.
        Assert.Equal(tunedFirst.FineTune!.TrainingFiles, tunedSecond.FineTune!.TrainingFiles);
        Assert.NotEqual(tunedFirst.FineTune.JobId, tunedSecond.FineTune.JobId);

        using var cancel = await api.PostAsync($"/api/runs/{second.Id}/fine-tune/cancel", null);
        cancel.EnsureSuccessStatusCode();
        var cancelled = (await cancel.Content.ReadFromJsonAsync<RunView>(Json))!;
        Assert.Equal(StepStatus.Cancelled, cancelled.FineTuneStep!.Status);

        // A third run follows the first run's job, as a job created outside the app would be followed.
        var third = await PrepareAsync(api, request);
        using var attach = await api.PostAsJsonAsync($"/api/runs/{third.Id}/fine-tune/attach", new AttachJobRequest(tunedFirst.FineTune.JobId!), Json);
        attach.EnsureSuccessStatusCode();
        var followed = await WaitForRunAsync(api, third.Id, r => r.FineTuneStep?.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, followed.FineTuneStep!.Status);
        var jobs = await api.GetFromJsonAsync<List<ProviderJobSummary>>("/api/fine-tunes", Json);
        Assert.Contains(jobs!, j => j.Id == tunedFirst.FineTune.JobId && j.RunId == first.Id);
    }

    [Fact]
    public async Task WhenOpenAIRefusesNewJobsTheRunSaysSoInPlainWords()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var run = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(12, 0, 0), Prompt: new PromptSettings(FewShotCount: 0)));
        using var emulator = fixture.CreateHttpClient("openai-emulator");
        emulator.DefaultRequestHeaders.Authorization = new("Bearer", "test");
        (await emulator.PostAsJsonAsync("/admin/faults", new { training_not_available = true })).EnsureSuccessStatusCode();
        try
        {
            using var start = await api.PostAsJsonAsync($"/api/runs/{run.Id}/fine-tune", new FineTuneRequest(), Json);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);

            var refused = await WaitForRunAsync(api, run.Id, r => r.FineTuneStep?.Status is StepStatus.Failed or StepStatus.Succeeded);

            Assert.Equal(StepStatus.Failed, refused.FineTuneStep!.Status);
            Assert.Contains("no longer accepts new fine-tuning jobs", refused.FineTuneStep.Message);
            Assert.Contains("Azure OpenAI", refused.FineTuneStep.Message);
            Assert.Null(refused.FineTune!.JobId);
        }
        finally
        {
            (await emulator.PostAsJsonAsync("/admin/faults", new { })).EnsureSuccessStatusCode();
        }
    }

    private static async Task<EvaluationView> EvaluateAsync(HttpClient api, string runId, EvaluationRequest request)
    {
        using var response = await api.PostAsJsonAsync($"/api/runs/{runId}/evaluations", request, Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<EvaluationView>(Json))!.Id;
        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{id}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, evaluation!.Step.Status);
        return evaluation;
    }

    private static async Task<JsonElement> WaitForDatasetAsync(HttpClient api, string id) =>
        await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}", Json),
            d => d.GetProperty("status").GetString() is "ready" or "failed");

    private static async Task<RunView> PrepareAsync(HttpClient api, PrepareRequest request)
    {
        using var response = await api.PostAsJsonAsync("/api/runs", request, Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;
        var prepared = await WaitForRunAsync(api, run.Id, r => r.Prepare.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, prepared.Prepare.Status);
        return prepared;
    }

    private static Task<RunView> WaitForRunAsync(HttpClient api, string id, Func<RunView, bool> done) =>
        WaitAsync(async () => (await api.GetFromJsonAsync<RunView>($"/api/runs/{id}", Json))!, done);
}
