using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using StackExchange.Redis;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using static VqaAspire.Tests.Infrastructure.Polling;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// Two api replicas sharing their work through the cache. A one-click run (prepare, fine-tune, evaluate) loses the
/// replica preparing it mid-way, then the replica evaluating it mid-way: the other replica takes each step over and
/// everything is done exactly once (each JSONL line once, one fine-tuning job, each answer once). The replica doing a
/// step is read from its lease in the cache, never guessed.
/// </summary>
[Trait("Category", TestCategories.App)]
[Collection(WholeAppCollections.Second)]
public sealed class ReplicaTakeoverTests(ReplicaTakeoverTests.TwoReplicasFixture fixture) : WholeAppTest(fixture), IClassFixture<ReplicaTakeoverTests.TwoReplicasFixture>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public sealed class TwoReplicasFixture : VqaAppFixture
    {
        protected override IEnumerable<string> Arguments => ["--Api:Replicas=2"];

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            // A dead replica's work is taken over after 5 s (30 s by default).
            builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("Workers__ClaimAfter", "00:00:05")
                .WithEnvironment("FineTuning__PollInterval", "00:00:01");
            builder.CreateResourceBuilder<ProjectResource>("openai-emulator").WithEnvironment("Emulator__FineTuning__StepMilliseconds", "200");
        }
    }

    [Fact]
    public async Task AReplicaKilledMidPreparationAndMidEvaluationLeavesEverythingDoneOnceByTheOther()
    {
        var instances = await fixture.InstancesAsync("api");
        Assert.Equal(2, instances.Count);
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("cache"))!);
        using var api = fixture.CreateHttpClient("api");
        using var emulator = EmulatorClient();

        // A sample big enough that its preparation takes seconds, prepared whole at a quality no other test uses, so
        // every image is encoded cold.
        using var import = await api.PostAsJsonAsync("/api/datasets", new ImportRequest(DatasetSourceKinds.Sample, Sample: new SampleOptions(Train: 1200, Validation: 50, Test: 60)), Json);
        var datasetId = (await import.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ImportAccepted>(Json))!.Id;
        var dataset = await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>($"/api/datasets/{datasetId}", Json), d => d.GetProperty("status").GetString() != "importing");
        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        // Slow answers, so the evaluation is still under way when its replica is killed.
        (await emulator.PostAsJsonAsync("/admin/faults", new { latency_milliseconds = 150 })).EnsureSuccessStatusCode();
        try
        {
            var request = new PrepareRequest(datasetId, new SamplingSettings(100_000, 100_000, 100_000), new ImageSettings(Quality: 41), new PromptSettings(FewShotCount: 1),
                Continue: new PipelineContinuation(new FineTuneRequest(Epochs: 1), new EvaluationRequest(MaxConcurrency: 2)));
            using var response = await api.PostAsJsonAsync("/api/runs", request, Json);
            var runId = (await response.Content.ReadFromJsonAsync<RunView>(Json))!.Id;

            // Mid-preparation: kill the replica holding it; the other takes it over once its lease expired.
            var preparing = await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{runId}", Json),
                r => r!.Prepare.Status is not (StepStatus.Queued or StepStatus.Running) || r.Prepare.Progress >= 0.1);
            Assert.Equal(StepStatus.Running, preparing!.Prepare.Status);
            await KillHolderAndWaitForTakeoverAsync(redis, $"vqa:work:preparation:lease:{runId}");

            var run = await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{runId}", Json),
                r => r!.LatestEvaluationId is not null || r.Prepare.Status is StepStatus.Failed || r.FineTuneStep?.Status is StepStatus.Failed);
            Assert.Equal(StepStatus.Succeeded, run!.Prepare.Status);
            Assert.Equal(StepStatus.Succeeded, run.FineTuneStep?.Status);
            foreach (var split in run.Preparation!.Splits)
            {
                var stats = dataset.GetProperty("splits").EnumerateArray().Single(s => s.GetProperty("split").GetString() == split.Split);
                var exampleIds = File.ReadLines(Path.Combine(fixture.WorkspaceRoot, "runs", runId, "prepared", $"{split.Split}.examples.jsonl"))
                    .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("example_id").GetString())
                    .ToList();
                // Every question of the split prepared, each once.
                Assert.Equal(stats.GetProperty("qaPairs").GetInt32(), exampleIds.Count);
                Assert.Equal(exampleIds.Count, exampleIds.Distinct().Count());
                Assert.Equal(exampleIds.Count, File.ReadLines(Path.Combine(fixture.WorkspaceRoot, "runs", runId, "prepared", $"{split.Split}.jsonl")).Count());
            }

            // Mid-evaluation: the same again.
            var evaluationId = run.LatestEvaluationId!;
            await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluationId}", Json),
                e => e!.Step.Status.IsFinished() || e.Step.Progress >= 0.2);
            await KillHolderAndWaitForTakeoverAsync(redis, $"vqa:work:evaluation:lease:{evaluationId}");
            var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluationId}", Json),
                e => e!.Step.Status.IsFinished());
            Assert.Equal(StepStatus.Succeeded, evaluation!.Step.Status);

            (await emulator.PostAsJsonAsync("/admin/faults", new { })).EnsureSuccessStatusCode();
            var jobs = await emulator.GetFromJsonAsync<JsonElement>("/v1/fine_tuning/jobs?limit=100");
            Assert.Single(jobs.GetProperty("data").EnumerateArray(), j => j.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
                && m.TryGetProperty("vqa_run_id", out var id) && id.GetString() == runId);
            var evaluations = await api.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/evaluations", Json);
            Assert.Single(evaluations.EnumerateArray());

            var examples = run.Preparation.Splits.Single(s => s.Split == "test").Examples;
            var answers = File.ReadLines(Path.Combine(fixture.WorkspaceRoot, "runs", runId, "evaluations", evaluationId, "answers.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Select(a => (Model: a.GetProperty("model").GetString(), Example: a.GetProperty("example_id").GetString(), Failed: a.GetProperty("error").ValueKind != JsonValueKind.Null))
                .ToList();
            // Each (model, example) asked once: no answer recorded twice, none failed, none missing.
            Assert.DoesNotContain(answers, a => a.Failed);
            Assert.Equal(examples * 2, answers.Count);
            Assert.Equal(answers.Count, answers.Select(a => (a.Model, a.Example)).Distinct().Count());
        }
        finally
        {
            (await emulator.PostAsJsonAsync("/admin/faults", new { })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>
    /// Kills the replica whose consumer name ("machine:pid") holds the lease, waits until another replica holds it
    /// (taken over after the claim timeout), then starts the killed replica again so two are up for what follows.
    /// </summary>
    private async Task KillHolderAndWaitForTakeoverAsync(ConnectionMultiplexer redis, string leaseKey)
    {
        var holder = (string?)await redis.GetDatabase().StringGetAsync(leaseKey);
        Assert.NotNull(holder);
        var holderPid = int.Parse(holder[(holder.LastIndexOf(':') + 1)..]);
        var instance = (await fixture.InstancesAsync("api")).Single(i => IsSelfOrAncestor(fixture.ProcessId(i), holderPid));

        await fixture.KillInstanceAsync(instance);
        var takenBy = await WaitAsync(async () => (string?)await redis.GetDatabase().StringGetAsync(leaseKey), h => h is not null && h != holder);
        Assert.NotEqual(holder, takenBy);
        await fixture.StartInstanceAsync(instance);
    }

    /// <summary>True when <paramref name="pid"/> is <paramref name="ancestor"/> or one of its descendants (a replica may run under a launcher).</summary>
    private static bool IsSelfOrAncestor(int ancestor, int pid)
    {
        for (var current = pid; current > 1;)
        {
            if (current == ancestor)
            {
                return true;
            }

            var stat = File.ReadAllText($"/proc/{current}/stat");
            // The parent pid is the second field after the command name in parentheses.
            current = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }

        return false;
    }

    private HttpClient EmulatorClient()
    {
        var client = fixture.CreateHttpClient("openai-emulator");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test");
        return client;
    }
}
