using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using VqaAspire.Contracts;

namespace VqaAspire.Testing;

/// <summary>
/// Load on the whole running app, in one copy for <c>LoadTests</c> and the <c>load</c> benchmark (which links this
/// file): one-click pipeline runs started at once through the api; scripted dashboard sessions, each a Chromium
/// browser context walking the pages a user opens while they wait, recording what a user would see go wrong; and a
/// probe issuing the GETs the dashboard issues to the api at a steady pace, timing each one on the client.
/// </summary>
public sealed class LoadScenario(Uri api, Uri web, string workspaceRoot)
{
    /// <summary>How long a page may take to show its content before the session counts it as an error.</summary>
    public static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long the runs may take, all together, before the scenario stops waiting and reports them as they are.</summary>
    public static readonly TimeSpan RunsTimeout = TimeSpan.FromMinutes(5);

    /// <summary>One probe request every so often; a slow answer delays the next one, never doubles up.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Reading = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>
    /// The one-click cookbook pipeline on the sample dataset, sampled small so five of them finish in a minute or two:
    /// prepare, fine-tune (one epoch), evaluate base against fine-tuned.
    /// </summary>
    public static PrepareRequest OneClickRun { get; } = new("sample", new SamplingSettings(20, 5, 40), Prompt: new PromptSettings(FewShotCount: 1),
        Continue: new PipelineContinuation(new FineTuneRequest(Epochs: 1), new EvaluationRequest()));

    /// <summary>
    /// Settings for the api under test: follow the emulator's quick jobs closely (as the pipeline tests do).
    /// Applied by both the test fixture and the benchmark.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ApiEnvironment { get; } = new Dictionary<string, string>
    {
        ["FineTuning__PollInterval"] = "00:00:01",
        ["Evaluation__BatchPollInterval"] = "00:00:01",
    };

    /// <summary>Runs the load: <paramref name="runs"/> pipeline runs, or, with none, load for <paramref name="idleDuration"/>.</summary>
    public async Task<LoadReport> RunAsync(int runs, int browserSessions, TimeSpan idleDuration, CancellationToken cancellationToken = default)
    {
        using var client = new HttpClient { BaseAddress = api, Timeout = RequestTimeout };
        await using var browser = browserSessions > 0 ? await BrowserSessions.StartAsync(web, browserSessions) : null;

        // All sessions are open before the runs start, so the runs meet the whole load.
        var started = Stopwatch.StartNew();
        var runIds = await Task.WhenAll(Enumerable.Range(0, runs).Select(_ => StartRunAsync(client)));
        var walkedRuns = runIds.Length > 0 ? runIds : [.. (await client.GetFromJsonAsync<List<RunView>>("/api/runs?offset=0&limit=5", Json, cancellationToken))!.Select(r => r.Id)];

        using var stop = new CancellationTokenSource();
        var samples = new ConcurrentQueue<ApiSample>();
        var probe = ProbeAsync(client, samples, started, stop.Token);
        var walks = browser?.Sessions.Select((session, i) => session.WalkAsync(walkedRuns, i, stop.Token)).ToList() ?? [];

        IReadOnlyList<RunOutcome> outcomes = [];
        if (runs > 0)
        {
            outcomes = await WaitForRunsAsync(client, runIds, cancellationToken);
        }
        else
        {
            await Task.Delay(idleDuration, cancellationToken);
        }

        var runsElapsed = started.Elapsed;
        // Each session finishes the walk it is on (at least one whole walk), and the probe times requests until then.
        await stop.CancelAsync();
        await Task.WhenAll(walks);
        await probe.WaitAsync(RequestTimeout, cancellationToken);

        var sessions = browser?.Sessions ?? [];
        return new LoadReport(
            [.. outcomes.Select(CountAnswers)],
            runsElapsed,
            [.. sessions.SelectMany(s => s.Errors)],
            sessions.Sum(s => s.Walks),
            sessions.Sum(s => s.Pages),
            sessions.Sum(s => s.EvaluationPages),
            [.. samples]);
    }

    private static async Task<string> StartRunAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/runs", OneClickRun, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RunView>(Json))!.Id;
    }

    /// <summary>Follows every run to its end: preparation failing, the fine-tune failing, or the evaluation ending.</summary>
    private static async Task<IReadOnlyList<RunOutcome>> WaitForRunsAsync(HttpClient client, string[] runIds, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + RunsTimeout;
        var outcomes = new Dictionary<string, RunOutcome>();
        while (true)
        {
            foreach (var id in runIds)
            {
                var run = (await client.GetFromJsonAsync<RunView>($"/api/runs/{id}", Json, cancellationToken))!;
                var evaluation = run.LatestEvaluationId is { } evaluationId
                    ? await client.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluationId}", Json, cancellationToken)
                    : null;
                outcomes[id] = new RunOutcome(id, run.Prepare.Status, run.FineTuneStep?.Status, evaluation?.Step.Status, evaluation?.Id,
                    run.Preparation?.Splits.SingleOrDefault(s => s.Split == "test")?.Examples ?? 0, evaluation?.Models.Count ?? 0, 0, 0);
            }

            if (outcomes.Values.All(o => o.Ended) || DateTime.UtcNow > deadline)
            {
                return [.. runIds.Select(id => outcomes[id])];
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>Reads the evaluation's answers file: each (model, example) pair answered without error, and any answered twice.</summary>
    private RunOutcome CountAnswers(RunOutcome outcome)
    {
        var file = outcome.EvaluationId is null ? null : Path.Combine(workspaceRoot, "runs", outcome.RunId, "evaluations", outcome.EvaluationId, "answers.jsonl");
        if (file is null || !File.Exists(file))
        {
            return outcome;
        }

        var answers = File.ReadLines(file)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(a => a.GetProperty("error").ValueKind == JsonValueKind.Null)
            .Select(a => (Model: a.GetProperty("model").GetString(), Example: a.GetProperty("example_id").GetString()))
            .ToList();
        var distinct = answers.Distinct().Count();
        return outcome with { AnsweredPairs = distinct, DuplicatedAnswers = answers.Count - distinct };
    }

    /// <summary>
    /// The GETs the dashboard's pages issue to the api, in turn, one every <see cref="ProbeInterval"/>; the runs asked
    /// about are the newest the runs list shows and the evaluation the newest scored one in the evaluations list, as a
    /// user would open them.
    /// </summary>
    private static async Task ProbeAsync(HttpClient client, ConcurrentQueue<ApiSample> samples, Stopwatch load, CancellationToken stop)
    {
        List<RunView> runs = [];
        List<EvaluationView> evaluations = [];
        using var timer = new PeriodicTimer(ProbeInterval);
        for (var turn = 0; !stop.IsCancellationRequested; turn++)
        {
            var run = runs.Count > 0 ? runs[turn / Mix.Length % Math.Min(runs.Count, 5)] : null;
            // An evaluation's examples exist once it has scored: the dashboard asks for them only then.
            var evaluationId = evaluations.FirstOrDefault(e => e.Step.Status == StepStatus.Succeeded)?.Id;
            var path = Mix[turn % Mix.Length](run, evaluationId);
            if (path is not null)
            {
                var at = load.Elapsed;
                var watch = Stopwatch.StartNew();
                try
                {
                    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                    watch.Stop();
                    // A failure keeps the start of its body (the problem's title and detail) to say what went wrong.
                    var endpoint = response.IsSuccessStatusCode ? Template(path) : $"{Template(path)} ({Excerpt(await response.Content.ReadAsStringAsync(CancellationToken.None))})";
                    samples.Enqueue(new ApiSample(endpoint, (int)response.StatusCode, watch.Elapsed.TotalMilliseconds, at));
                    if (path.StartsWith("/api/runs?", StringComparison.Ordinal) && response.IsSuccessStatusCode)
                    {
                        runs = (await response.Content.ReadFromJsonAsync<List<RunView>>(Json, CancellationToken.None))!;
                    }
                    else if (path.StartsWith("/api/evaluations?", StringComparison.Ordinal) && response.IsSuccessStatusCode)
                    {
                        evaluations = (await response.Content.ReadFromJsonAsync<List<EvaluationView>>(Json, CancellationToken.None))!;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    samples.Enqueue(new ApiSample($"{Template(path)} ({ex.GetType().Name}: {ex.Message})", 0, watch.Elapsed.TotalMilliseconds, at));
                }
            }

            try
            {
                await timer.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What Home, Runs, Run, Fine-tune, Datasets, Dataset and Evaluation ask the api for (null: nothing to ask yet).</summary>
    private static readonly Func<RunView?, string?, string?>[] Mix =
    [
        (_, _) => "/api/status",
        (_, _) => "/api/runs?offset=0&limit=200",
        (run, _) => run is null ? null : $"/api/runs/{run.Id}",
        (run, _) => run?.LatestEvaluationId is null ? null : $"/api/runs/{run.Id}/evaluations",
        (run, _) => run?.FineTune is null ? null : $"/api/runs/{run.Id}/fine-tune/events?limit=1000",
        (run, _) => run?.FineTune is null ? null : $"/api/runs/{run.Id}/fine-tune/metrics",
        (_, _) => "/api/datasets",
        (_, _) => "/api/datasets/sample",
        (_, _) => "/api/datasets/sample/examples?split=train&offset=0&limit=20",
        (_, _) => "/api/evaluations?limit=100",
        (_, evaluation) => evaluation is null ? null : $"/api/evaluations/{evaluation}",
        (_, evaluation) => evaluation is null ? null : $"/api/evaluations/{evaluation}/examples?offset=0&limit=20",
    ];

    /// <summary>A path with its ids replaced, so samples group by endpoint.</summary>
    private static string Excerpt(string body) => body.Length <= 300 ? body : body[..300] + "…";

    private static string Template(string path)
    {
        var parts = path.Split('?')[0].Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0 && parts[i - 1] is "runs" or "evaluations" && parts[i].Length > 0)
            {
                parts[i] = "{id}";
            }
        }

        return string.Join('/', parts);
    }

    /// <summary>One Chromium process, one browser context per session.</summary>
    private sealed class BrowserSessions : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;

        private BrowserSessions(IPlaywright playwright, IBrowser browser, IReadOnlyList<DashboardSession> sessions) =>
            (_playwright, _browser, Sessions) = (playwright, browser, sessions);

        public IReadOnlyList<DashboardSession> Sessions { get; }

        public static async Task<BrowserSessions> StartAsync(Uri web, int count)
        {
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = RequiredTools.ChromiumPath,
                Headless = true,
                Args = RequiredTools.ChromiumArgs,
            });
            var sessions = new List<DashboardSession>();
            for (var i = 0; i < count; i++)
            {
                var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
                sessions.Add(await DashboardSession.OpenAsync(context, web, $"session {i + 1}"));
            }

            return new BrowserSessions(playwright, browser, sessions);
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }

    /// <summary>
    /// One user's browser walking the dashboard: Home, Runs, a run, its fine-tune, Datasets, the sample's gallery, and
    /// the run's evaluation once it has one. Records console errors, uncaught page errors, failed responses (5xx, and any
    /// 4xx: none is expected on these pages), Blazor's error bar, the reconnect overlay, error alerts, and pages that
    /// never show their content.
    /// </summary>
    private sealed class DashboardSession
    {
        // Blazor's own error bar (shown by blazor.web.js setting display: block; before the stylesheet loads it is merely
        // unstyled) and its reconnect overlay (inside a shadow root), checked a few times a second, since the overlay may
        // come and go between two looks.
        private const string WatchScript = """
            window.__vqaProblems = [];
            setInterval(() => {
              const note = text => { if (!window.__vqaProblems.includes(text)) window.__vqaProblems.push(text); };
              const bar = document.getElementById('blazor-error-ui');
              if (bar && bar.style.display === 'block') note('Blazor error UI shown: ' + bar.innerText.trim());
              const host = document.getElementById('components-reconnect-modal');
              const overlay = host && host.shadowRoot && host.shadowRoot.querySelector('.components-reconnect-overlay');
              if (overlay && overlay.classList.contains('components-reconnect-visible')) note('Reconnect overlay shown: ' + host.shadowRoot.textContent.trim());
            }, 200);
            """;

        private readonly IPage _page;
        private readonly Uri _web;
        private readonly string _name;
        private readonly ConcurrentQueue<string> _errors = new();

        private DashboardSession(IPage page, Uri web, string name)
        {
            (_page, _web, _name) = (page, web, name);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    Note($"console error: {message.Text}");
                }
            };
            page.PageError += (_, error) => Note($"page error: {error}");
            page.Response += (_, response) =>
            {
                if (response.Status >= 400)
                {
                    Note($"HTTP {response.Status} for {response.Request.Method} {response.Url}");
                }
            };
            page.RequestFailed += (_, request) =>
            {
                // Leaving a page aborts what it was still loading (lazy images): that is the browser's doing, not a failure.
                if (request.Failure is { } failure && !failure.Contains("ERR_ABORTED", StringComparison.Ordinal))
                {
                    Note($"request failed: {request.Method} {request.Url}: {failure}");
                }
            };
        }

        public IEnumerable<string> Errors => _errors;

        public int Walks { get; private set; }

        public int Pages { get; private set; }

        public int EvaluationPages { get; private set; }

        public static async Task<DashboardSession> OpenAsync(IBrowserContext context, Uri web, string name)
        {
            await context.AddInitScriptAsync(WatchScript);
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
            return new DashboardSession(page, web, name);
        }

        /// <summary>
        /// Walks the pages until told to stop, always finishing the walk it is on; a session that has not yet opened an
        /// evaluation (the runs were still going) walks once more, when they have one.
        /// </summary>
        public async Task WalkAsync(IReadOnlyList<string> runIds, int index, CancellationToken stop)
        {
            var lastWalk = false;
            while (!lastWalk)
            {
                lastWalk = stop.IsCancellationRequested && EvaluationPages == 0;
                var runId = runIds.Count > 0 ? runIds[(index + Walks) % runIds.Count] : null;
                await VisitAsync("/", "[data-testid=provider-status]");
                await VisitAsync("/runs", "[data-testid=runs]");
                string? evaluationHref = null;
                if (runId is not null)
                {
                    var runsEnded = stop.IsCancellationRequested;
                    await VisitAsync($"/runs/{runId}", "[data-testid=timeline]");
                    var scores = _page.Locator("[data-testid=step-evaluate] a[href^='/evaluations/']");
                    evaluationHref = await scores.CountAsync() > 0 ? await scores.First.GetAttributeAsync("href") : null;
                    if (runsEnded && evaluationHref is null)
                    {
                        // Every run has been evaluated by now: a page without the link shows the user stale or no content.
                        Note($"/runs/{runId} shows no link to the run's evaluation after the runs ended");
                    }

                    await VisitAsync($"/runs/{runId}/fine-tune", "[data-testid=fine-tune-status], [data-testid=empty-state]");
                }

                await VisitAsync("/datasets", "[data-testid=datasets]");
                await VisitAsync("/datasets/sample", "[data-testid=gallery-item]");
                if (evaluationHref is not null)
                {
                    await VisitAsync(evaluationHref, ".progress-block");
                    EvaluationPages++;
                }

                Walks++;
                lastWalk |= stop.IsCancellationRequested && EvaluationPages > 0;
            }
        }

        /// <summary>Opens a page, waits for its content (or its error), reads it for a moment, then notes what went wrong.</summary>
        private async Task VisitAsync(string path, string content)
        {
            Pages++;
            try
            {
                await _page.GotoAsync(new Uri(_web, path).ToString(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
                await _page.Locator($"{content}, [data-testid=load-error]").First.WaitForAsync();
                await Task.Delay(Reading);
                foreach (var alert in await _page.Locator("[role=alert], .status-card .error").AllAsync())
                {
                    if (await alert.IsVisibleAsync())
                    {
                        Note($"{path} shows an error: {(await alert.InnerTextAsync()).Trim()}");
                    }
                }

                foreach (var problem in await _page.EvaluateAsync<string[]>("() => window.__vqaProblems || []"))
                {
                    Note($"{path}: {problem}");
                }
            }
            catch (TimeoutException)
            {
                Note($"{path} did not show {content} within {PageTimeout.TotalSeconds:0} s");
            }
            catch (PlaywrightException ex)
            {
                Note($"{path}: {ex.Message.Split('\n')[0]}");
            }
        }

        private void Note(string error) => _errors.Enqueue($"{_name}: {error}");
    }
}

/// <summary>What a load produced: each run's end, what the sessions saw go wrong, and every timed api request.</summary>
public sealed record LoadReport(
    IReadOnlyList<RunOutcome> Runs,
    TimeSpan RunsElapsed,
    IReadOnlyList<string> SessionErrors,
    int SessionWalks,
    int PagesVisited,
    int EvaluationPagesVisited,
    IReadOnlyList<ApiSample> ApiSamples)
{
    /// <summary>Probe requests that did not succeed: a 4xx or 5xx status, or no answer at all (status 0).</summary>
    public IReadOnlyList<ApiSample> ApiFailures => [.. ApiSamples.Where(s => s.Status is < 200 or >= 300)];

    public LatencySummary Latency => LatencySummary.Of(ApiSamples.Where(s => s.Status is >= 200 and < 300).Select(s => s.Milliseconds));

    /// <summary>The same, per endpoint, slowest 95th percentile first.</summary>
    public IReadOnlyList<(string Endpoint, LatencySummary Latency)> LatencyByEndpoint =>
        [.. ApiSamples.Where(s => s.Status is >= 200 and < 300)
            .GroupBy(s => s.Endpoint)
            .Select(g => (g.Key, LatencySummary.Of(g.Select(s => s.Milliseconds))))
            .OrderByDescending(e => e.Item2.P95)];
}

/// <param name="AnsweredPairs">Distinct (model, example) pairs answered without error in the evaluation's answers file.</param>
/// <param name="DuplicatedAnswers">Answers recorded for a pair already answered.</param>
public sealed record RunOutcome(string RunId, StepStatus Prepare, StepStatus? FineTune, StepStatus? Evaluation, string? EvaluationId,
    int TestExamples, int Models, int AnsweredPairs, int DuplicatedAnswers)
{
    public bool Ended => Prepare is StepStatus.Failed || FineTune is StepStatus.Failed or StepStatus.Cancelled || Evaluation?.IsFinished() == true;

    public bool Succeeded => Prepare == StepStatus.Succeeded && FineTune == StepStatus.Succeeded && Evaluation == StepStatus.Succeeded;
}

/// <param name="Endpoint">The path with its ids replaced by <c>{id}</c>.</param>
/// <param name="Status">The HTTP status, or 0 when no answer came.</param>
/// <param name="SentAt">When the request was sent, from the start of the load.</param>
public sealed record ApiSample(string Endpoint, int Status, double Milliseconds, TimeSpan SentAt);

/// <summary>Client-side request durations: count, median, 95th percentile and maximum, in milliseconds (nearest rank).</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double Max)
{
    public static LatencySummary Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0
            ? new LatencySummary(0, 0, 0, 0)
            : new LatencySummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public override string ToString() => $"p50 {P50:0.0} ms, p95 {P95:0.0} ms, max {Max:0.0} ms over {Count} requests";
}
