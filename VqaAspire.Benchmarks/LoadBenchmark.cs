using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VqaAspire.Contracts;
using VqaAspire.Testing;

namespace VqaAspire.Benchmarks;

/// <summary>
/// The whole app started here (as the tests start it), then the api's latency for the dashboard's GETs with no load
/// (one browser session, no run) against under load (5 one-click runs at once and 20 browser sessions), side by
/// side with the ratio; the time for one run alone against five at once; and what the sessions saw go wrong.
/// The load is <see cref="LoadScenario"/>, the same code <c>LoadTests</c> runs. The app runs its api as two replicas
/// (as the AppHost does); the same runs at once are then timed on an app with one api replica, for runs per minute
/// with 1 and 2 replicas side by side.
/// </summary>
public sealed class LoadBenchmark : IBenchmark
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    public string Name => "load";

    public string Description => "api latency p50/p95/max idle vs 5 runs + 20 browser sessions, ratio; time for 1 run vs 5 at once; runs per minute with 1 vs 2 api replicas; session errors. Options: --runs N --sessions N --idle-seconds S";

    public async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var sessions = int.Parse(Option(args, "--sessions") ?? "20", CultureInfo.InvariantCulture);
        var idleSeconds = int.Parse(Option(args, "--idle-seconds") ?? "30", CultureInfo.InvariantCulture);
        if (RequiredTools.ChromiumMissing() is { } missing)
        {
            Console.WriteLine(missing);
            return 1;
        }

        var (app, scenario, data) = await StartAsync(replicas: 2);
        Console.WriteLine($"Load: the whole app (2 api replicas) on {Environment.ProcessorCount} cores, one-click runs of {Describe(LoadScenario.OneClickRun)}; api GETs timed on the client, one every {LoadScenario.ProbeInterval.TotalMilliseconds:0} ms.");
        // Warm-up (not reported): code paths compiled and the sample's images in the cache, as on any app that has run once.
        var warm = await scenario.RunAsync(1, 1, TimeSpan.Zero);
        Console.WriteLine($"  warm-up: 1 run in {warm.RunsElapsed.TotalSeconds:0.0} s, {(warm.Runs.All(r => r.Succeeded) ? "succeeded" : "FAILED")}");
        var single = await scenario.RunAsync(1, 1, TimeSpan.Zero);
        Console.WriteLine($"  1 run, 1 session: {single.RunsElapsed.TotalSeconds:0.0} s");
        var idle = await scenario.RunAsync(0, 1, TimeSpan.FromSeconds(idleSeconds));
        Console.WriteLine($"  idle, 1 session for {idleSeconds} s: {idle.Latency}");
        var loaded = await scenario.RunAsync(runs, sessions, TimeSpan.Zero);
        Console.WriteLine($"  {runs} runs, {sessions} sessions: {loaded.RunsElapsed.TotalSeconds:0.0} s, {loaded.Latency}");

        Console.WriteLine();
        Console.WriteLine($"{"api latency (ms)",-24}{"idle",10}{"loaded",10}{"loaded/idle",13}");
        Row("requests", idle.Latency.Count, loaded.Latency.Count, "0");
        Row("p50", idle.Latency.P50, loaded.Latency.P50, "0.0");
        Row("p95", idle.Latency.P95, loaded.Latency.P95, "0.0");
        Row("max", idle.Latency.Max, loaded.Latency.Max, "0.0");
        Console.WriteLine();
        Console.WriteLine($"{"p95 by endpoint (ms)",-50}{"idle",10}{"loaded",10}{"loaded/idle",13}");
        foreach (var (endpoint, latency) in loaded.LatencyByEndpoint)
        {
            var before = idle.LatencyByEndpoint.FirstOrDefault(e => e.Endpoint == endpoint).Latency?.P95 ?? 0;
            Console.WriteLine($"{endpoint,-50}{before,10:0.0}{latency.P95,10:0.0}{(before > 0 ? $"{latency.P95 / before:0.00}x" : "-"),13}");
        }

        Console.WriteLine($"slowest under load: {string.Join("; ", loaded.ApiSamples.OrderByDescending(a => a.Milliseconds).Take(3).Select(a => $"{a.Endpoint} {a.Milliseconds:0} ms at {a.SentAt.TotalSeconds:0} s"))}");
        Console.WriteLine();
        Console.WriteLine($"{"runs",-24}{"1 alone",10}{runs + " at once",10}{"ratio",13}");
        Row("time for all (s)", single.RunsElapsed.TotalSeconds, loaded.RunsElapsed.TotalSeconds, "0.0");
        Row("runs per minute", 1 / single.RunsElapsed.TotalMinutes, runs / loaded.RunsElapsed.TotalMinutes, "0.00");
        Console.WriteLine();
        Console.WriteLine($"{"what went wrong",-24}{"idle",10}{"loaded",10}");
        Console.WriteLine($"{"runs not succeeded",-24}{single.Runs.Count(r => !r.Succeeded),10}{loaded.Runs.Count(r => !r.Succeeded),10}");
        Console.WriteLine($"{"answers lost or twice",-24}{Lost(single),10}{Lost(loaded),10}");
        Console.WriteLine($"{"session errors",-24}{idle.SessionErrors.Count,10}{loaded.SessionErrors.Count,10}");
        Console.WriteLine($"{"api failures",-24}{idle.ApiFailures.Count,10}{loaded.ApiFailures.Count,10}");
        Console.WriteLine($"{"pages walked",-24}{idle.PagesVisited,10}{loaded.PagesVisited,10}");
        foreach (var problem in loaded.SessionErrors.Concat(loaded.ApiFailures.Select(f => f.ToString())).Take(20))
        {
            Console.WriteLine($"  {problem}");
        }

        await StopAsync(app, data);

        // The same runs at once on one api replica: what the second replica adds.
        var (oneApp, oneScenario, oneData) = await StartAsync(replicas: 1);
        await oneScenario.RunAsync(1, 1, TimeSpan.Zero);
        var oneReplica = await oneScenario.RunAsync(runs, sessions, TimeSpan.Zero);
        await StopAsync(oneApp, oneData);
        Console.WriteLine();
        Console.WriteLine($"{runs + " runs at once",-24}{"1 replica",10}{"2 replicas",12}{"ratio",11}");
        Console.WriteLine($"{"time for all (s)",-24}{oneReplica.RunsElapsed.TotalSeconds,10:0.0}{loaded.RunsElapsed.TotalSeconds,12:0.0}{loaded.RunsElapsed / oneReplica.RunsElapsed,10:0.00}x");
        Console.WriteLine($"{"runs per minute",-24}{runs / oneReplica.RunsElapsed.TotalMinutes,10:0.00}{runs / loaded.RunsElapsed.TotalMinutes,12:0.00}{oneReplica.RunsElapsed / loaded.RunsElapsed,10:0.00}x");
        Console.WriteLine($"{"runs not succeeded",-24}{oneReplica.Runs.Count(r => !r.Succeeded),10}{loaded.Runs.Count(r => !r.Succeeded),12}");
        Console.WriteLine($"{"answers lost or twice",-24}{Lost(oneReplica),10}{Lost(loaded),12}");

        return oneReplica.Runs.All(r => r.Succeeded) && loaded.SessionErrors.Count == 0 && loaded.ApiFailures.Count == 0 && loaded.Runs.All(r => r.Succeeded) ? 0 : 1;
    }

    /// <summary>Starts the whole app with <paramref name="replicas"/> api replicas, waits until every one is healthy and the sample is ready.</summary>
    private static async Task<(DistributedApplication App, LoadScenario Scenario, DirectoryInfo Data)> StartAsync(int replicas)
    {
        var data = Directory.CreateTempSubdirectory("vqa-bench-load-");
        var workspace = Path.Combine(data.FullName, "workspace");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VqaAspire_AppHost>(
            [
                $"--Cache:DataDirectory={Path.Combine(data.FullName, "cache")}",
                $"--Workspace:Root={workspace}",
                $"--Emulator:DataDirectory={Path.Combine(data.FullName, "emulator")}",
                $"--Api:Replicas={replicas}",
            ],
            (options, _) => options.DisableDashboard = true);
        // The figures, not the resources' console: their logs, and the health checks failing as the app stops, stay out.
        builder.Services.AddLogging(logging => logging
            .AddFilter("VqaAspire.AppHost.Resources", LogLevel.None)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Polly", LogLevel.None));
        var apiResource = builder.CreateResourceBuilder<ProjectResource>("api");
        foreach (var (name, value) in LoadScenario.ApiEnvironment)
        {
            apiResource.WithEnvironment(name, value);
        }

        var app = await builder.BuildAsync().WaitAsync(StartTimeout);
        await app.StartAsync().WaitAsync(StartTimeout);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web").WaitAsync(StartTimeout);
        // Every api replica healthy, not just the first.
        var healthy = new HashSet<string>();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await foreach (var update in app.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (update.Resource.Name == "api" && update.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                && healthy.Add(update.ResourceId) && healthy.Count == replicas)
            {
                break;
            }
        }

        var api = app.GetEndpoint("api", "http");
        await WaitForSampleAsync(api);
        return (app, new LoadScenario(api, app.GetEndpoint("web", "http"), workspace), data);
    }

    private static async Task StopAsync(DistributedApplication app, DirectoryInfo data)
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    private static void Row(string label, double idle, double loaded, string format) =>
        Console.WriteLine($"{label,-24}{idle.ToString(format, CultureInfo.InvariantCulture),10}{loaded.ToString(format, CultureInfo.InvariantCulture),10}{(idle > 0 ? (loaded / idle).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-"),13}");

    private static int Lost(LoadReport report) =>
        report.Runs.Sum(r => Math.Abs(r.TestExamples * r.Models - r.AnsweredPairs) + r.DuplicatedAnswers);

    private static string Describe(PrepareRequest run) =>
        $"{run.Sampling!.Train}/{run.Sampling.Validation}/{run.Sampling.Test} images";

    private static async Task WaitForSampleAsync(Uri api)
    {
        using var client = new HttpClient { BaseAddress = api };
        var deadline = DateTime.UtcNow + StartTimeout;
        while ((await client.GetFromJsonAsync<DatasetSummary>("/api/datasets/sample", JsonSerializerOptions.Web))?.Status != "ready")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The sample dataset was not ready in time.");
            }

            await Task.Delay(500);
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
