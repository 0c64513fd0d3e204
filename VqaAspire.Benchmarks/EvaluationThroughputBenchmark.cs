using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.Benchmarks.Preparation;
using VqaAspire.Contracts;
using VqaAspire.OpenAIEmulator;

namespace VqaAspire.Benchmarks;

/// <summary>
/// Evaluation throughput against the emulator with 300 ms latency under a client-side requests-per-minute limit:
/// achieved over allowed, without and with 10% injected 429s, and answers lost or recorded twice.
/// </summary>
public sealed class EvaluationThroughputBenchmark : IBenchmark
{
    public string Name => "evaluate";

    public string Description => "achieved / allowed requests per minute at 300 ms latency, clean and with 10% 429s; lost and duplicated answers. Options: --examples N --rpm R";

    public async Task<int> RunAsync(string[] args)
    {
        var examples = int.Parse(Option(args, "--examples") ?? "400", CultureInfo.InvariantCulture);
        var rpm = int.Parse(Option(args, "--rpm") ?? "1200", CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("vqa-bench-evaluate-");

        using var garnet = BenchmarkCache.Start(out var redisAddress);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        await using var emulator = EmulatorApp.Build(["--urls=http://127.0.0.1:0", $"--Emulator:DataDirectory={Path.Combine(work.FullName, "emulator")}"],
            builder => builder.Logging.ClearProviders());
        await emulator.StartAsync();
        var address = emulator.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var admin = new HttpClient { BaseAddress = new Uri(address) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "benchmark");

        var workspace = new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = Path.Combine(work.FullName, "workspace") }));
        const string runId = "bench_run";
        await PrepareTestSetAsync(redis, workspace, runId, examples);
        var provider = new OpenAIModelProvider(Options.Create(new ProviderOptions { Kind = "emulator", Endpoint = address.TrimEnd('/') + "/v1", MaxRetries = 20 }));
        var runner = new EvaluationRunner(provider, workspace, new SyncAnswerer(),
            new BatchAnswerer(Options.Create(new EvaluationOptions()), NullLogger<BatchAnswerer>.Instance),
            new EvaluationScorer(provider, new JudgeService(redis, new JudgePrompts(new RunStore(redis, TimeProvider.System), new VqaAspire.Api.Datasets.DatasetRegistry(redis))), Options.Create(new PricingOptions()), NullLogger<EvaluationScorer>.Instance),
            new DatasetPresetLookup(new RunStore(redis, TimeProvider.System), new VqaAspire.Api.Datasets.DatasetRegistry(redis)));

        Console.WriteLine($"Evaluation throughput: {examples} test examples, emulator latency 300 ms, client limit {rpm} requests/min, {Environment.ProcessorCount} cores.");
        var rows = new List<(string Label, double Achieved, double Target, int Lost, int Duplicated)>();
        foreach (var (label, rateLimited, target) in new[] { ("clean", 0.0, 0.95), ("10% injected 429s", 0.10, 0.90) })
        {
            using (var faults = await admin.PostAsJsonAsync("/admin/faults", new { latency_milliseconds = 300, rate_limit_error_rate = rateLimited, retry_after_milliseconds = 500 }))
            {
                faults.EnsureSuccessStatusCode();
            }

            var evaluation = new EvaluationView($"bench_{rows.Count}", runId, DateTimeOffset.UtcNow,
                new EvaluationRequest(MaxConcurrency: 64, RequestsPerMinute: rpm), [new EvaluationModel("base", "gpt-4o-2024-08-06")], new RunStep(StepStatus.Running), true, null);
            var stopwatch = Stopwatch.StartNew();
            await runner.RunAsync(evaluation, new Progress<EvaluationProgress>(), CancellationToken.None);
            stopwatch.Stop();

            var answers = File.ReadLines(workspace.Resolve([.. EvaluationRunner.Folder(runId, evaluation.Id), "answers.jsonl"]))
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Where(a => a.GetProperty("error").ValueKind == JsonValueKind.Null)
                .Select(a => a.GetProperty("example_id").GetString()!)
                .ToList();
            var achieved = answers.Count / stopwatch.Elapsed.TotalMinutes;
            rows.Add((label, achieved, target, examples - answers.Distinct().Count(), answers.Count - answers.Distinct().Count()));
            Console.WriteLine($"  {label}: {answers.Count} answers in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        }

        Console.WriteLine();
        Console.WriteLine($"{"",-20}{"achieved/min",14}{"allowed/min",13}{"ratio",8}{"target",9}{"lost",6}{"duplicated",12}");
        foreach (var row in rows)
        {
            Console.WriteLine($"{row.Label,-20}{row.Achieved,14:0}{rpm,13}{row.Achieved / rpm,8:0.000}{">=" + row.Target.ToString("0.00", CultureInfo.InvariantCulture),9}{row.Lost,6}{row.Duplicated,12}");
        }

        await emulator.StopAsync();
        work.Delete(recursive: true);
        return 0;
    }

    private static async Task PrepareTestSetAsync(IConnectionMultiplexer redis, WorkspaceStorage workspace, string runId, int examples)
    {
        var preparer = new DatasetPreparer(
            new CachedImageEncoder(new ImageEncoder(Options.Create(new ImageLimitsOptions())), new EncodedImageCache(redis, Options.Create(new ImageCacheOptions()))),
            new TrainingFileValidator(new TokenCounter()), workspace, Options.Create(new PricingOptions()), NullLogger<DatasetPreparer>.Instance);
        // One yes/no question per small cover: requests stay cheap, so the limit and the latency are what is measured.
        await preparer.PrepareAsync(runId, new PrepareRequest("synthetic", new SamplingSettings(0, 0, examples), new ImageSettings(MaxSide: 96), new PromptSettings(FewShotCount: 0)),
            new SyntheticCoverSource(examples, 1, split: VqaAspire.Api.Datasets.VqaSplits.Test), new Progress<PreparationProgress>(), CancellationToken.None);
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
