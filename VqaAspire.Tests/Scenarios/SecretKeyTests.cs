using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using static VqaAspire.Tests.Infrastructure.Polling;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// Starts the app with a provider key set, drives the whole pipeline (and a provider refusal) with it, then looks for
/// the key where it must never appear: every resource's log, every span, log record and metric exported, every api
/// response and every dashboard page.
/// </summary>
[Trait("Category", TestCategories.App)]
[Collection(WholeAppCollections.First)]
public sealed partial class SecretKeyTests(SecretKeyTests.WithKeyFixture fixture) : WholeAppTest(fixture), IClassFixture<SecretKeyTests.WithKeyFixture>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public sealed class WithKeyFixture : VqaAppFixture
    {
        public const string Key = "sk-test-9f3b1c7e5a2d4e6f8a0b";

        private readonly CancellationTokenSource _stopWatching = new();
        private readonly List<Task> _watchers = [];

        public OtlpCapture Telemetry { get; private set; } = null!;

        /// <summary>Every line each resource wrote to its console, by resource.</summary>
        public ConcurrentDictionary<string, ConcurrentQueue<string>> Logs { get; } = new();

        /// <summary>The key of a second provider an evaluation asks by name (OtherProviders), watched for like the first.</summary>
        public const string OtherKey = "sk-other-3c8e0a6f2b9d4c71e5a0";

        // Emulator kind, so the keys are set but nothing leaves the machine.
        protected override IEnumerable<string> Arguments =>
            ["--Parameters:openai-kind=emulator", $"--Parameters:openai-key={Key}", "--OtherProviders:second:Kind=openai", $"--OtherProviders:second:ApiKey={OtherKey}"];

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            // Every service exports its telemetry to the capture, promptly.
            foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            {
                builder.CreateResourceBuilder(project)
                    .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Telemetry.Endpoint)
                    .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                    .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200")
                    .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "200")
                    .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "500");
            }

            var emulator = builder.CreateResourceBuilder<ProjectResource>("openai-emulator").GetEndpoint("http");
            builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("FineTuning__PollInterval", "00:00:01")
                .WithEnvironment("OtherProviders__second__Endpoint", ReferenceExpression.Create($"{emulator}/v1"));
        }

        public override async Task InitializeAsync()
        {
            Telemetry = await OtlpCapture.StartAsync();
            await base.InitializeAsync();
            foreach (var name in ResourceNames())
            {
                // Every replica's lines, under the resource's name.
                var lines = Logs.GetOrAdd(name, _ => new ConcurrentQueue<string>());
                _watchers.AddRange(await WatchLogsAsync(name, line => lines.Enqueue(line.Content), _stopWatching.Token));
            }
        }

        public override async Task DisposeAsync()
        {
            await _stopWatching.CancelAsync();
            await Task.WhenAll(_watchers);
            await base.DisposeAsync();
            if (Telemetry is not null)
            {
                await Telemetry.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AfterTheWholePipelineAndARefusalTheKeyIsInNoLogSpanResponseOrPage()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitAsync(async () => await api.GetFromJsonAsync<JsonElement>("/api/datasets/sample", Json), d => d.GetProperty("status").GetString() == "ready");

        // The whole pipeline with the key in use.
        var run = await StartRunAsync(api, new PipelineContinuation(new FineTuneRequest(Epochs: 1), new EvaluationRequest()));
        run = await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{run.Id}", Json),
            r => r!.LatestEvaluationId is not null || r.Prepare.Status is StepStatus.Failed || r.FineTuneStep?.Status is StepStatus.Failed);
        var evaluation = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{run!.LatestEvaluationId}", Json),
            e => e!.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.Equal(StepStatus.Succeeded, evaluation!.Step.Status);

        // The same run answered through a second provider too, with its own key.
        using var across = await api.PostAsJsonAsync($"/api/runs/{run!.Id}/evaluations", new EvaluationRequest(Models:
            [new EvaluationModel("base", "gpt-4o-2024-08-06"), new EvaluationModel("second", "gpt-4o-2024-08-06", Provider: "second")]), Json);
        Assert.Equal(HttpStatusCode.Accepted, across.StatusCode);
        var acrossId = (await across.Content.ReadFromJsonAsync<EvaluationView>(Json))!.Id;
        var acrossDone = await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{acrossId}", Json),
            e => e!.Step.Status is StepStatus.Succeeded or StepStatus.Failed);
        Assert.True(acrossDone!.Step.Status == StepStatus.Succeeded, acrossDone.Step.Message);

        // A provider refusal: errors are where keys tend to leak.
        string refusedId;
        using var emulator = fixture.CreateHttpClient("openai-emulator");
        emulator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "admin");
        (await emulator.PostAsJsonAsync("/admin/faults", new { training_not_available = true })).EnsureSuccessStatusCode();
        try
        {
            var refused = await StartRunAsync(api, null);
            refusedId = refused.Id;
            await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{refused.Id}", Json), r => r!.Prepare.Status == StepStatus.Succeeded);
            using var start = await api.PostAsJsonAsync($"/api/runs/{refused.Id}/fine-tune", new FineTuneRequest(Epochs: 1), Json);
            var failed = await WaitAsync(async () => await api.GetFromJsonAsync<RunView>($"/api/runs/{refused.Id}", Json), r => r!.FineTuneStep?.Status == StepStatus.Failed);
            Assert.Contains("no longer accepts new fine-tuning jobs", failed!.FineTuneStep!.Message);
        }
        finally
        {
            (await emulator.PostAsJsonAsync("/admin/faults", new { })).EnsureSuccessStatusCode();
        }

        var responses = await ReadEveryApiResponseAsync(api, run!.Id, evaluation.Id);
        var pages = await ReadEveryPageAsync(run.Id, evaluation.Id);
        // Give the exporters (every 200-500 ms) and the log watchers time to deliver the last of it.
        await Task.Delay(TimeSpan.FromSeconds(3));

        // The searches are not empty: each place holds the run, just never the key.
        Assert.Contains(responses, r => r.Body.Contains(run.Id, StringComparison.Ordinal));
        Assert.Contains(pages, p => p.Html.Contains(run.Id, StringComparison.Ordinal));
        Assert.True(fixture.Telemetry.Contains("traces", run.Id), "No exported span carries the run id.");
        Assert.True(fixture.Telemetry.Contains("logs", run.Id), "No exported log record carries the run id.");
        Assert.True(fixture.Telemetry.Exports.Any(e => e.Signal == "metrics"), "No metrics were exported.");
        // The refusal is logged as a warning naming its run.
        Assert.Contains(fixture.Logs["api"], line => line.Contains($"Fine-tune of run {refusedId} failed: HTTP 403", StringComparison.Ordinal));

        foreach (var secret in new[] { WithKeyFixture.Key, WithKeyFixture.Key[^12..], WithKeyFixture.OtherKey, WithKeyFixture.OtherKey[^12..] })
        {
            Assert.DoesNotContain(responses, r => r.Body.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(pages, p => p.Html.Contains(secret, StringComparison.Ordinal));
            foreach (var signal in new[] { "traces", "logs", "metrics" })
            {
                Assert.False(fixture.Telemetry.Contains(signal, secret), $"The key is in the exported {signal}.");
            }

            foreach (var (resource, lines) in fixture.Logs)
            {
                Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task OnlyTheApiIsGivenTheKey()
    {
        // The environment each running process (each replica of a service) was actually started with, as the orchestrator reports it.
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        var received = new List<string>();
        foreach (var name in fixture.ResourceNames())
        {
            foreach (var instance in fixture.HasReplicas(name) ? await fixture.InstancesAsync(name) : [name])
            {
                Assert.True(notifications.TryGetCurrentState(instance, out var state), $"No state for {instance}.");
                if (state.Snapshot.EnvironmentVariables.Any(v => v.Value?.Contains(WithKeyFixture.Key, StringComparison.Ordinal) == true))
                {
                    received.Add(name);
                }

                if (state.Snapshot.EnvironmentVariables.Any(v => v.Value?.Contains(WithKeyFixture.OtherKey, StringComparison.Ordinal) == true))
                {
                    received.Add(name + " (second provider)");
                }
            }
        }

        // Every api replica, nothing else; the second provider's key as well.
        var replicas = (await fixture.InstancesAsync("api")).Count;
        Assert.Equal(Enumerable.Range(0, replicas).SelectMany(_ => (string[])["api", "api (second provider)"]), received);
    }

    private static async Task<RunView> StartRunAsync(HttpClient api, PipelineContinuation? then)
    {
        using var response = await api.PostAsJsonAsync("/api/runs",
            new PrepareRequest("sample", new SamplingSettings(12, 4, 8), Prompt: new PromptSettings(FewShotCount: 1), Continue: then), Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RunView>(Json))!;
    }

    /// <summary>GETs every path of the api's OpenAPI document, with the run's and evaluation's ids in its parameters.</summary>
    private static async Task<List<(string Url, string Body)>> ReadEveryApiResponseAsync(HttpClient api, string runId, string evaluationId)
    {
        var imageId = (await api.GetFromJsonAsync<JsonElement>("/api/datasets/sample/examples?limit=1", Json))
            .GetProperty("examples")[0].GetProperty("imageId").GetString()!;
        var cacheId = (await api.GetFromJsonAsync<JsonElement>($"/api/evaluations/{evaluationId}/examples?limit=1", Json))
            .GetProperty("items")[0].GetProperty("imageCacheId").GetString()!;
        var values = new Dictionary<string, string>
        {
            ["id"] = runId,
            ["evaluationId"] = evaluationId,
            ["imageId"] = imageId,
            ["cacheId"] = cacheId,
            ["name"] = "train.jsonl",
        };

        var document = await api.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Json);
        var responses = new List<(string Url, string Body)> { ("/openapi/v1.json", document.GetRawText()) };
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out _) || path.Name == "/api/runs/changes")
            {
                continue; // the change stream carries run ids only, and never ends
            }

            // /api/datasets/{id}/... is about the sample dataset; everything else under {id} is the run.
            var url = Placeholder().Replace(path.Name, m => path.Name.StartsWith("/api/datasets/", StringComparison.Ordinal) && m.Groups[1].Value == "id"
                ? "sample"
                : values.TryGetValue(m.Groups[1].Value, out var value) ? value : throw new InvalidOperationException($"No value for {m.Value} in {path.Name}."));
            using var response = await api.GetAsync(url);
            Assert.True(response.StatusCode < HttpStatusCode.InternalServerError, $"{url}: {response.StatusCode}");
            responses.Add((url, await response.Content.ReadAsStringAsync()));
        }

        Assert.True(responses.Count >= 15, $"Only {responses.Count} api responses were read.");
        return responses;
    }

    /// <summary>Every dashboard page, with the run's and evaluation's ids, as the web renders it.</summary>
    private async Task<List<(string Url, string Html)>> ReadEveryPageAsync(string runId, string evaluationId)
    {
        using var web = fixture.CreateHttpClient("web");
        var pages = new List<(string Url, string Html)>();
        foreach (var url in new[] { "/", "/datasets", "/datasets/sample", "/runs", "/runs/new", $"/runs/{runId}", $"/runs/{runId}/fine-tune",
                     "/fine-tunes", "/evaluations", $"/evaluations/{evaluationId}" })
        {
            using var response = await web.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
            pages.Add((url, await response.Content.ReadAsStringAsync()));
        }

        return pages;
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
