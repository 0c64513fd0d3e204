using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Benchmarks.Preparation;

/// <summary>
/// Preparation throughput, cold and warm (cache), against the notebook's single-threaded PIL loop and the codec's own
/// limit on every core, and peak memory of a large preparation at two sizes. Everything side by side in one run, as ratios.
/// </summary>
public sealed class PreparationBenchmark : IBenchmark
{
    public string Name => "prepare";

    public string Description => "images/s cold and warm vs the notebook's PIL loop, the codec's limit, peak RSS at two sizes. Options: --images 2000 --questions 1 --rss 20000,100000";

    public async Task<int> RunAsync(string[] args)
    {
        if (Option(args, "--rss-child") is { } childExamples)
        {
            return await RunRssChildAsync(int.Parse(childExamples, CultureInfo.InvariantCulture), Option(args, "--redis")!);
        }

        var images = int.Parse(Option(args, "--images") ?? "2000", CultureInfo.InvariantCulture);
        var questions = int.Parse(Option(args, "--questions") ?? "1", CultureInfo.InvariantCulture);
        var rssSizes = (Option(args, "--rss") ?? "20000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

        using var garnet = BenchmarkCache.Start(out var redisAddress);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress + ",allowAdmin=true");
        var work = Directory.CreateTempSubdirectory("vqa-bench-prepare-");
        var covers = Enumerable.Range(0, images).AsParallel().AsOrdered().Select(SyntheticCoverSource.Cover).ToArray();
        Console.WriteLine($"Preparation benchmark: {images} OCR-VQA-like covers (mostly ~{SyntheticCoverSource.Width}x{SyntheticCoverSource.Height}, " +
            $"{covers.Count(c => SyntheticCoverSource.Extension(c) == ".png")} PNG, one in ten grayscale, one in ten larger; {covers.Sum(c => (long)c.Length) / images / 1024} KB each), " +
            $"{questions} question(s) each, JPEG q50, fewShotCount 0, {Environment.ProcessorCount} cores; codecs: {ImageEncoder.Codecs}.");

        var source = new SyntheticCoverSource(images, questions, covers);
        var request = new PrepareRequest("synthetic", new SamplingSettings(images, 0, 0), Prompt: new PromptSettings(FewShotCount: 0));

        var folder = await PythonScript.WriteCoversAsync(covers, work.FullName);
        var python = await RunPythonBaselineAsync(folder, work.FullName, questions);
        var pil = await PythonScript.RunAsync("pil_codec.py", folder);
        var turbo = ImageEncoder.TurboJpegAvailable;
        var (codecOne, codecAll) = MeasureCodec(covers, useTurboJpeg: true);
        var (vipsOne, vipsAll) = turbo ? MeasureCodec(covers, useTurboJpeg: false) : (codecOne, codecAll);
        var (pythonRate, pythonCpu) = python is { } p ? (p.Rate, p.CpuMs) : ((double?)null, (double?)null);

        // The api prepares in a process that is already running, as the Python loop is timed after its imports: one small
        // preparation of other covers first loads the tokenizer and compiles the code, then the cache is emptied.
        await TimePreparationAsync(redis, work.FullName, "warmup", new SyntheticCoverSource(40, questions), request with { Sampling = new SamplingSettings(40, 0, 0) }, 40, turbo);
        await FlushAsync(redis);
        var cold = await TimePreparationAsync(redis, work.FullName, "cold", source, request, images, turbo);
        await FlushAsync(redis);
        var coldVips = turbo ? await TimePreparationAsync(redis, work.FullName, "cold-libvips", source, request, images, useTurboJpeg: false) : cold;
        var warm = await TimePreparationAsync(redis, work.FullName, "warm", source, request, images, turbo);

        Console.WriteLine();
        // Wall time on a shared machine depends on what else runs; CPU time per image does much less, so both are printed.
        Console.WriteLine($"{"",-54}{"images/s",10}{"vs python",11}{"target",9}{"CPU ms/image",14}{"python CPU / ours",19}");
        if (python is { } py)
        {
            Console.WriteLine($"{"notebook loop (python3 + PIL, 1 core)",-54}{py.Rate,10:0.0}{1.0,10:0.00}x{"",9}{py.CpuMs,14:0.00}{1.0,18:0.00}x");
        }
        else
        {
            Console.WriteLine("notebook loop: python3 with PIL not found (apt-get install -y python3-pil); no ratio.");
        }

        if (pil is not null)
        {
            var pilRate = images / pil["seconds"];
            var pilCpu = pil["cpu"] * 1000 / images;
            Console.WriteLine($"{"PIL codec alone (open, RGB, q50; no base64, JSON)",-54}{pilRate,10:0.0}{Ratio(pilRate, pythonRate),11}{"",9}{pilCpu,14:0.00}{Ratio(pythonCpu, pilCpu),19}");
        }

        var codecName = turbo ? "TurboJPEG+libvips" : "libvips";
        Row($"{codecName} alone, 1 thread", codecOne, "");
        Row($"{codecName} alone, all cores: the limit", codecAll, "");
        if (turbo)
        {
            Row("libvips alone (before), 1 thread", vipsOne, "");
            Row("libvips alone (before), all cores", vipsAll, "");
        }

        Row($"VqaAspire cold, {codecName} (+write, validate)", cold, ">=1.5x");
        if (turbo)
        {
            Row("VqaAspire cold, libvips only (before)", coldVips, "");
        }

        Row("VqaAspire warm (cache hits)", warm, ">=10x");
        Console.WriteLine($"cold / codec limit: {cold.Rate / codecAll.Rate:0.00}x; cold {codecName} / cold libvips: {cold.Rate / coldVips.Rate:0.00}x images/s, " +
            $"{coldVips.CpuMs / cold.CpuMs:0.00}x less CPU per image; warm / cold: {warm.Rate / cold.Rate:0.00}x; load average at the end: {Throughput.LoadAverage()}");
        if (pythonCpu is { } pc)
        {
            // What the cold run would reach with every core its own (CPU per image against Python's, times the cores): a bound, not a measurement.
            Console.WriteLine($"CPU-bound ceiling of cold on an idle {Environment.ProcessorCount}-core machine: {Environment.ProcessorCount} x {pc:0.00} / {cold.CpuMs:0.00} ms = " +
                $"{Environment.ProcessorCount * pc / cold.CpuMs:0.00}x the Python loop with {codecName} (libvips only: {Environment.ProcessorCount * pc / coldVips.CpuMs:0.00}x; CPU time includes the in-process cache server).");
        }

        Console.WriteLine();
        Console.WriteLine($"Peak memory of a whole preparation (5 questions per image, 6 few-shot pairs; separate process each, with the api's GC settings: {ApiRuntimeSettings.Describe()}; cache in this one):");
        var peaks = new List<(int Examples, double Mb, double Seconds)>();
        foreach (var examples in rssSizes)
        {
            var (mb, seconds) = await RunRssChildProcessAsync(examples, redisAddress);
            peaks.Add((examples, mb, seconds));
            Console.WriteLine($"  {examples,8:N0} examples: peak RSS {mb,7:0} MB in {seconds,6:0.0} s  (target <= 400 MB)");
        }

        if (peaks.Count >= 2)
        {
            Console.WriteLine($"  peak RSS ratio {peaks[^1].Examples:N0} / {peaks[0].Examples:N0} examples: {peaks[^1].Mb / peaks[0].Mb:0.00}x for {(double)peaks[^1].Examples / peaks[0].Examples:0}x the examples (flat is ~1x)");
        }

        work.Delete(recursive: true);
        return 0;

        void Row(string name, Throughput result, string target) =>
            Console.WriteLine($"{name,-54}{result.Rate,10:0.0}{Ratio(result.Rate, pythonRate),11}{target,9}{result.CpuMs,14:0.00}{Ratio(pythonCpu, result.CpuMs),19}");
    }

    /// <summary>The encoder alone over the corpus, one thread then every core: what no preparation can beat.</summary>
    private static (Throughput OneThread, Throughput AllCores) MeasureCodec(byte[][] covers, bool useTurboJpeg)
    {
        var encoder = new ImageEncoder(Options.Create(new ImageLimitsOptions())) { UseTurboJpeg = useTurboJpeg };
        var settings = new ImageEncodingSettings(50);
        foreach (var cover in covers.Take(20))
        {
            encoder.Encode(cover, settings);
        }

        var meter = Throughput.Start();
        foreach (var cover in covers)
        {
            encoder.Encode(cover, settings);
        }

        var one = meter.Stop(covers.Length);
        meter = Throughput.Start();
        Parallel.For(0, covers.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => encoder.Encode(covers[i], settings));
        return (one, meter.Stop(covers.Length));
    }

    private static string Ratio(double? ours, double? baseline) => ours is { } o && baseline is { } b ? $"{o / b:0.00}x" : "-";


    private static async Task<Throughput> TimePreparationAsync(IConnectionMultiplexer redis, string root, string label, IVqaSource source, PrepareRequest request, int images, bool useTurboJpeg)
    {
        var preparer = CreatePreparer(redis, Path.Combine(root, label), useTurboJpeg);
        var meter = Throughput.Start();
        var outcome = await preparer.PrepareAsync($"bench_{label}", request, source, new Progress<PreparationProgress>(), CancellationToken.None);
        var result = meter.Stop(images);
        var train = outcome.Splits.Single(s => s.Split == VqaSplits.Train);
        Console.WriteLine($"  {label}: {train.Examples} lines, {train.Bytes / 1024.0 / 1024.0:0.0} MB, {outcome.ImagesEncoded} encoded, {outcome.ImagesFromCache} from cache, valid={train.Validation.ValidLines == train.Examples}, {images / result.Rate:0.00} s");
        return result;
    }

    private static async Task<Throughput?> RunPythonBaselineAsync(string folder, string work, int questionsPerImage)
    {
        if (await PythonScript.RunAsync("notebook_loop.py", folder, Path.Combine(work, "python.jsonl"), questionsPerImage.ToString(CultureInfo.InvariantCulture)) is not { } values)
        {
            return null;
        }

        var (images, seconds, cpu) = (values["images"], values["seconds"], values["cpu"]);
        Console.WriteLine($"  python: {images} images in {seconds:0.00} s, {cpu:0.00} s of CPU");
        return new Throughput(images / seconds, cpu * 1000 / images);
    }

    private static async Task<(double Mb, double Seconds)> RunRssChildProcessAsync(int examples, string redisAddress)
    {
        using var process = Process.Start(ApiRuntimeSettings.Apply(new ProcessStartInfo(Environment.ProcessPath!, ["prepare", "--rss-child", examples.ToString(CultureInfo.InvariantCulture), "--redis", redisAddress])
        {
            RedirectStandardOutput = true,
        }))!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var values = output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
        return (double.Parse(values["rss_mb"], CultureInfo.InvariantCulture), double.Parse(values["seconds"], CultureInfo.InvariantCulture));
    }

    private static async Task<int> RunRssChildAsync(int examples, string redisAddress)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        const int questionsPerImage = 5;
        var images = examples / questionsPerImage;
        var root = Directory.CreateTempSubdirectory("vqa-bench-rss-");
        var stopwatch = Stopwatch.StartNew();
        await CreatePreparer(redis, root.FullName).PrepareAsync("bench_rss", new PrepareRequest("synthetic", new SamplingSettings(images, 0, 0), Prompt: new PromptSettings(FewShotCount: 6)),
            new SyntheticCoverSource(images, questionsPerImage), new Progress<PreparationProgress>(), CancellationToken.None);
        var peakKb = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Console.WriteLine($"rss_mb={long.Parse(peakKb, CultureInfo.InvariantCulture) / 1024.0:0.0} seconds={stopwatch.Elapsed.TotalSeconds:0.00}");
        root.Delete(recursive: true);
        return 0;
    }

    internal static DatasetPreparer CreatePreparer(IConnectionMultiplexer redis, string workspaceRoot, bool useTurboJpeg = true)
    {
        var cache = new EncodedImageCache(redis, Options.Create(new ImageCacheOptions()));
        return new DatasetPreparer(new CachedImageEncoder(new ImageEncoder(Options.Create(new ImageLimitsOptions())) { UseTurboJpeg = useTurboJpeg }, cache),
            new TrainingFileValidator(new TokenCounter()), new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = workspaceRoot })),
            Options.Create(new PricingOptions()), NullLogger<DatasetPreparer>.Instance);
    }

    private static async Task FlushAsync(IConnectionMultiplexer redis)
    {
        foreach (var endpoint in redis.GetEndPoints())
        {
            await redis.GetServer(endpoint).FlushAllDatabasesAsync();
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
