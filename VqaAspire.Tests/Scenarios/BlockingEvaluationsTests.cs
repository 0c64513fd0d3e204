using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using static VqaAspire.Tests.Infrastructure.Polling;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// An evaluation whose endpoint accepts and never answers, and one whose endpoint refuses, started before the one-click
/// pipeline: the pipeline's evaluation still succeeds, before and after the api is killed and started again; the failing
/// one stays failed with its reason (never retried) and the hanging one is taken up again, then cancelled.
/// </summary>
[Trait("Category", TestCategories.App)]
[Collection(WholeAppCollections.First)]
public sealed class BlockingEvaluationsTests(BlockingEvaluationsTests.BlockingFixture fixture) : WholeAppTest(fixture), IClassFixture<BlockingEvaluationsTests.BlockingFixture>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public sealed class BlockingFixture : VqaAppFixture
    {
        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            builder.CreateResourceBuilder<ProjectResource>("api")
                .WithEnvironment("FineTuning__PollInterval", "00:00:01")
                // One retry, not six: the refused endpoint's evaluation fails after its unreachable streak in seconds
                // instead of waiting out about 50 s of backoff per question (2.5 minutes of this test); what is tested
                // is that it fails for good and holds nothing up, not how long the retries last.
                .WithEnvironment("Provider__MaxRetries", "1")
                // Long enough that the hanging evaluation is still waiting for its first answer when the test ends.
                .WithEnvironment("Evaluation__RequestTimeout", "00:30:00");
        }
    }

    [Fact]
    public async Task AHangingAndAFailingEvaluationDoNotHoldUpThePipelineEvenAcrossARestart()
    {
        // Accepts connections and never answers; the api runs as a separate local process, so loopback reaches it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    held.Add(await silent.AcceptSocketAsync());
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
        var silentEndpoint = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/v1";
        var refusingEndpoint = $"http://127.0.0.1:{FreePort()}/v1";

        using var api = fixture.CreateHttpClient("api");
        var run = await PrepareAsync(api);
        var hanging = await StartEvaluationAsync(api, run.Id, new EvaluationModel("silent", "gpt-4o-mini", silentEndpoint));
        var failing = await StartEvaluationAsync(api, run.Id, new EvaluationModel("refused", "gpt-4o-mini", refusingEndpoint));

        await PipelineSucceedsAsync(api);
        Assert.Equal(StepStatus.Running, (await GetAsync(api, hanging)).Step.Status);
        var failed = await WaitAsync(() => GetAsync(api, failing), e => e.Step.Status.IsFinished());
        Assert.Equal(StepStatus.Failed, failed.Step.Status);
        // Failed with the reason: every answer refused, or the connection refused outright.
        Assert.True(failed.Step.Message!.Contains("could not be answered") || failed.Step.Message.StartsWith("Evaluation failed:", StringComparison.Ordinal), failed.Step.Message);

        await fixture.KillAndRestartAsync("api");

        using var restarted = fixture.CreateHttpClient("api");
        var resumed = await WaitAsync(() => GetAsync(restarted, hanging), e => e.Step.Status == StepStatus.Running && e.Step.Message != null);
        await PipelineSucceedsAsync(restarted);
        Assert.Equal(StepStatus.Running, (await GetAsync(restarted, hanging)).Step.Status);
        // Not retried: the same failure, written once before the restart.
        var stillFailed = await GetAsync(restarted, failing);
        Assert.Equal((StepStatus.Failed, failed.Step.Message, failed.Step.FinishedAt), (stillFailed.Step.Status, stillFailed.Step.Message, stillFailed.Step.FinishedAt));
        Assert.Equal(resumed.Step.StartedAt, (await GetAsync(restarted, hanging)).Step.StartedAt);

        using var cancel = await restarted.PostAsync($"/api/evaluations/{hanging}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = (await cancel.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
        Assert.Equal(StepStatus.Cancelled, cancelled.Step.Status);
        // Stopped while running (resumed after the restart), not merely taken out of the line.
        Assert.Contains("answers recorded are kept", cancelled.Step.Message);
        using var again = await restarted.PostAsync($"/api/evaluations/{hanging}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var unknown = await restarted.PostAsync("/api/evaluations/eval_nobody/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        silent.Stop();
        held.ForEach(s => s.Dispose());
    }

    private static async Task<RunView> PrepareAsync(HttpClient api)
    {
        await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>("/api/datasets/sample", Json), d => d.GetProperty("status").GetString() == "ready");
        using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(10, 0, 6), Prompt: new PromptSettings(FewShotCount: 1)), Json);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;
        var prepared = await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{run.Id}", Json), r => r!.Prepare.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, prepared!.Prepare.Status);
        return prepared;
    }

    private static async Task<string> StartEvaluationAsync(HttpClient api, string runId, EvaluationModel model)
    {
        using var start = await api.PostAsJsonAsync($"/api/runs/{runId}/evaluations", new EvaluationRequest([model], MaxConcurrency: 2), Json);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        return (await start.Content.ReadFromJsonAsync<EvaluationView>(Json))!.Id;
    }

    /// <summary>The one-click pipeline (prepare, fine-tune, evaluate) to a succeeded evaluation.</summary>
    private static async Task PipelineSucceedsAsync(HttpClient api)
    {
        using var response = await api.PostAsJsonAsync("/api/runs", new PrepareRequest("sample", new SamplingSettings(20, 5, 10), Prompt: new PromptSettings(FewShotCount: 1),
            Continue: new PipelineContinuation(new FineTuneRequest(Epochs: 1), new EvaluationRequest())), Json);
        var run = (await response.Content.ReadFromJsonAsync<RunView>(Json))!;
        var evaluated = await WaitAsync(async () => (await api.GetFromJsonAsync<RunView>($"/api/runs/{run.Id}", Json))!,
            r => r.LatestEvaluationId is not null || r.Prepare.Status == StepStatus.Failed || r.FineTuneStep?.Status is StepStatus.Failed);
        Assert.NotNull(evaluated.LatestEvaluationId);
        var evaluation = await WaitAsync(() => GetAsync(api, evaluated.LatestEvaluationId!), e => e.Step.Status.IsFinished());
        Assert.Equal(StepStatus.Succeeded, evaluation.Step.Status);
    }

    private static async Task<EvaluationView> GetAsync(HttpClient api, string evaluationId) =>
        (await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluationId}", Json))!;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
