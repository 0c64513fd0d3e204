using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Tests.Web;
using Xunit.Abstractions;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// The whole app under load (<see cref="LoadScenario"/>): five one-click pipeline runs at once while twenty users'
/// browsers walk the dashboard. What a user would notice is asserted; the api's latency is printed, not asserted
/// (the <c>load</c> benchmark compares it with an idle app).
/// </summary>
[Trait("Category", TestCategories.Load)]
[Collection(WholeAppCollections.Alone)]
public sealed class LoadTests(LoadTests.LoadFixture fixture, ITestOutputHelper output) : WholeAppTest(fixture), IClassFixture<LoadTests.LoadFixture>
{
    private const int Runs = 5;
    private const int BrowserSessions = 20;
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public sealed class LoadFixture : VqaAppFixture
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _apiFailures = new();

        /// <summary>The api's log lines that report a failure (an exception, a "fail:" entry), to say why a request failed.</summary>
        public IReadOnlyCollection<string> ApiFailureLogs => _apiFailures;

        // The app as it runs for its users: two api replicas sharing the load.
        protected override IEnumerable<string> Arguments => ["--Api:Replicas=2"];

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            var api = builder.CreateResourceBuilder<ProjectResource>("api");
            foreach (var (name, value) in LoadScenario.ApiEnvironment)
            {
                api.WithEnvironment(name, value);
            }
        }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            // Until the app stops, which ends the log streams.
            await WatchLogsAsync("api", line =>
            {
                if (line.IsErrorMessage || line.Content.Contains("fail:", StringComparison.Ordinal) || line.Content.Contains("Exception", StringComparison.Ordinal))
                {
                    _apiFailures.Enqueue(line.Content);
                }
            }, CancellationToken.None);
        }
    }

    [ChromiumFact]
    public async Task FiveRunsAtOnceSucceedEndToEndWhileTwentyDashboardSessionsSeeNoError()
    {
        using (var api = fixture.CreateHttpClient("api"))
        {
            var sample = await Polling.WaitAsync(() => api.GetFromJsonAsync<DatasetSummary>("/api/datasets/sample", Json), d => d?.Status is "ready" or "failed");
            Assert.Equal("ready", sample!.Status);
        }

        var scenario = new LoadScenario(fixture.App.GetEndpoint("api", "http"), fixture.App.GetEndpoint("web", "http"), fixture.WorkspaceRoot);
        var report = await scenario.RunAsync(Runs, BrowserSessions, idleDuration: TimeSpan.Zero);

        output.WriteLine($"{Runs} runs in {report.RunsElapsed.TotalSeconds:0} s; {BrowserSessions} sessions: {report.SessionWalks} walks, {report.PagesVisited} pages ({report.EvaluationPagesVisited} evaluation pages).");
        output.WriteLine($"Api latency under load (client side, the dashboard's GETs): {report.Latency}.");
        foreach (var (endpoint, latency) in report.LatencyByEndpoint)
        {
            output.WriteLine($"  {endpoint}: {latency}");
        }

        output.WriteLine($"Slowest: {string.Join("; ", report.ApiSamples.OrderByDescending(a => a.Milliseconds).Take(3).Select(a => $"{a.Endpoint} {a.Milliseconds:0} ms at {a.SentAt.TotalSeconds:0} s"))}.");

        foreach (var run in report.Runs)
        {
            output.WriteLine($"  {run}");
        }

        foreach (var error in report.SessionErrors.Concat(report.ApiFailures.Select(f => f.ToString())).Take(50))
        {
            output.WriteLine($"  {error}");
        }

        foreach (var line in fixture.ApiFailureLogs.Take(40))
        {
            output.WriteLine($"  api log: {line}");
        }

        // Every run goes through preparation, fine-tune and evaluation, each test example answered once by each model.
        Assert.Equal(Runs, report.Runs.Count);
        Assert.All(report.Runs, run =>
        {
            Assert.True(run.Succeeded, $"{run.RunId}: prepare {run.Prepare}, fine-tune {run.FineTune}, evaluation {run.Evaluation}");
            Assert.Equal(2, run.Models);
            Assert.True(run.TestExamples > 0);
            Assert.Equal(run.TestExamples * run.Models, run.AnsweredPairs);
            Assert.Equal(0, run.DuplicatedAnswers);
        });

        // No user saw an error, and the api answered every request the dashboard makes.
        Assert.Empty(report.SessionErrors);
        Assert.Empty(report.ApiFailures);
        // Every session walked the whole dashboard, an evaluation page included.
        Assert.True(report.SessionWalks >= BrowserSessions);
        Assert.True(report.EvaluationPagesVisited >= BrowserSessions, $"{report.EvaluationPagesVisited} evaluation pages opened");
        Assert.True(report.Latency.Count > 0);
    }
}
