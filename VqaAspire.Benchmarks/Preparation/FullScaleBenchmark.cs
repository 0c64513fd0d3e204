using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Datasets.HuggingFace;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Workers;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Benchmarks.Preparation;

/// <summary>
/// OCR-VQA at full scale (about 207,000 covers, 1,000,000 questions) or any size: synthetic covers written as OCR-VQA
/// parquet shards, imported as the api imports them, then prepared; each phase in its own process so its time and
/// peak RSS are its own. Several sizes in one run show whether memory stays flat.
/// </summary>
public sealed class FullScaleBenchmark : IBenchmark
{
    private const int RowsPerShard = 1000;

    /// <summary>OCR-VQA's questions per cover: 1,000,000 / 207,000.</summary>
    private const double QuestionsPerCover = 1_000_000 / 207_000.0;

    public string Name => "prepare-full";

    public string Description => "generate, import and prepare an OCR-VQA-sized dataset; time and peak RSS per phase. Options: --sizes 207000 --train-images 10000 --work DIR --keep --phases generate,import,pages,prepare --gc api,server,workstation";

    public async Task<int> RunAsync(string[] args)
    {
        if (Option(args, "--phase") is { } phase)
        {
            return await RunPhaseAsync(phase, args);
        }

        var sizes = (Option(args, "--sizes") ?? "207000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var trainImages = Option(args, "--train-images") ?? "10000";
        var ownRoot = Option(args, "--work") is null;
        var root = Option(args, "--work") ?? Directory.CreateTempSubdirectory("vqa-bench-full-").FullName;
        var phases = (Option(args, "--phases") ?? "generate,import,pages,prepare").Split(',');
        // The preparation again under each GC named: "api" is the api's own settings, the others override its mode.
        var collectors = (Option(args, "--gc") ?? "api").Split(',');
        if (collectors.FirstOrDefault(c => c is not ("api" or "server" or "workstation")) is { } unknown)
        {
            Console.Error.WriteLine($"--gc takes api, server or workstation, not '{unknown}'.");
            return 2;
        }

        using var garnet = BenchmarkCache.Start(out var redisAddress);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress + ",allowAdmin=true");
        Console.WriteLine($"Full-scale preparation: OCR-VQA-like parquet ({QuestionsPerCover:0.00} questions per cover, 80/10/10 splits), imported, then prepared " +
            $"({trainImages} train images sampled, 1,000 validation, 1,000 test; fewShotCount 0), {Environment.ProcessorCount} cores. Work folder {root}. Each phase runs with the api's GC settings ({ApiRuntimeSettings.Describe()}).");
        Console.WriteLine($"{"covers",9}{"questions",11}{"phase",10}{"GC",13}{"seconds",9}{"peak RSS MB",13}  result");
        foreach (var covers in sizes)
        {
            var questions = (int)Math.Round(covers * QuestionsPerCover);
            var work = Directory.CreateDirectory(Path.Combine(root, $"ocrvqa-{covers}")).FullName;
            var common = new[] { "--work", work, "--covers", covers.ToString(CultureInfo.InvariantCulture), "--questions", questions.ToString(CultureInfo.InvariantCulture), "--redis", redisAddress };
            // Every size starts with an empty image cache: its preparation is cold.
            await redis.GetServer(redis.GetEndPoints()[0]).FlushAllDatabasesAsync();
            foreach (var name in phases)
            {
                foreach (var collector in name == "prepare" ? collectors : ["api"])
                {
                    if (name == "prepare")
                    {
                        // Each preparation starts from an empty image cache: all of them are cold.
                        await EmptyImageCacheAsync(redis);
                    }

                    var (values, detail) = await RunChildAsync([.. common, "--phase", name, "--train-images", trainImages], collector);
                    Console.WriteLine($"{covers,9:N0}{questions,11:N0}{name,10}{collector,13}{values["seconds"],9}{values["rss_mb"],13}  {detail}");
                }
            }

            if (!args.Contains("--keep"))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        if (ownRoot && !args.Contains("--keep"))
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    private static async Task EmptyImageCacheAsync(ConnectionMultiplexer redis)
    {
        var keys = new List<RedisKey>();
        await foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: EncodedImageCache.KeyPrefix + "*", pageSize: 1000))
        {
            keys.Add(key);
        }

        foreach (var batch in keys.Chunk(1000))
        {
            await redis.GetDatabase().KeyDeleteAsync(batch);
        }
    }

    private static async Task<(Dictionary<string, string> Values, string Detail)> RunChildAsync(string[] args, string collector)
    {
        var start = ApiRuntimeSettings.Apply(new ProcessStartInfo(Environment.ProcessPath!, ["prepare-full", .. args]) { RedirectStandardOutput = true });
        if (collector != "api")
        {
            start.Environment["DOTNET_gcServer"] = collector == "server" ? "1" : "0";
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("seconds=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The phase failed: {output}");
        var detail = last.Split(" | ", 2);
        var values = detail[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return (values, detail.Length > 1 ? detail[1] : "");
    }

    private static async Task<int> RunPhaseAsync(string phase, string[] args)
    {
        var work = Option(args, "--work")!;
        var covers = int.Parse(Option(args, "--covers")!, CultureInfo.InvariantCulture);
        var questions = int.Parse(Option(args, "--questions")!, CultureInfo.InvariantCulture);
        var stopwatch = Stopwatch.StartNew();
        // The GC's committed memory, sampled: beside the peak RSS it tells the managed share from the native one.
        long peakCommitted = 0;
        using var sampler = new Timer(_ => peakCommitted = Math.Max(peakCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes), null, 0, 200);
        var detail = phase switch
        {
            "generate" => await GenerateAsync(Path.Combine(work, "ocrvqa"), covers, questions),
            "import" => await ImportAsync(work, Option(args, "--redis")!),
            "pages" => await PagesAsync(work, Option(args, "--redis")!),
            _ => await PrepareAsync(work, Option(args, "--redis")!, Option(args, "--train-images")!),
        };
        var gc = GC.GetGCMemoryInfo();
        detail += $"; managed heap {gc.HeapSizeBytes / 1024 / 1024} MB (live after a full GC {GC.GetTotalMemory(forceFullCollection: true) / 1024 / 1024} MB), {GC.CollectionCount(2)} gen2 GCs, GC committed at most {peakCommitted / 1024 / 1024} MB";
        var peakKb = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Console.WriteLine($"seconds={stopwatch.Elapsed.TotalSeconds:0.0} rss_mb={long.Parse(peakKb, CultureInfo.InvariantCulture) / 1024.0:0} | {detail}");
        return 0;
    }

    /// <summary>Parquet shards of <see cref="RowsPerShard"/> covers, one row group per 100, as OCR-VQA's are laid out.</summary>
    private static async Task<string> GenerateAsync(string folder, int covers, int questions)
    {
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        var bySplit = Enumerable.Range(0, covers).GroupBy(SplitOf).ToDictionary(g => g.Key, g => g.ToArray());
        long bytes = 0;
        foreach (var (split, indexes) in bySplit)
        {
            var shards = (indexes.Length + RowsPerShard - 1) / RowsPerShard;
            for (var shard = 0; shard < shards; shard++)
            {
                var rows = indexes.Skip(shard * RowsPerShard).Take(RowsPerShard).AsParallel().AsOrdered().Select(i => Row(i, covers, questions)).ToList();
                var path = Path.Combine(data, $"{split}-{shard:00000}-of-{shards:00000}.parquet");
                await using (var output = File.Create(path))
                {
                    await OcrVqaParquetWriter.WriteAsync(output, rows, rowGroupSize: 100);
                }

                bytes += new FileInfo(path).Length;
            }
        }

        return $"{bytes / 1024.0 / 1024 / 1024:0.00} GB of parquet";
    }

    private static string SplitOf(int index) => (index % 10) switch { 8 => VqaSplits.Validation, 9 => VqaSplits.Test, _ => VqaSplits.Train };

    private static OcrVqaRow Row(int index, int covers, int questions)
    {
        var count = questions / covers + (index < questions % covers ? 1 : 0);
        string[] templates = ["Who wrote this book?", "What is the title of this book?", "What is the genre of this book?", "What type of book is this?", "Is this a comedy book?"];
        var title = $"Book number {index}";
        var author = $"Author {index % 5000}";
        var genre = (index % 7) switch { 0 => "Comedy", 1 => "History", 2 => "Travel", 3 => "Cookbooks", 4 => "Science", 5 => "Romance", _ => "Law" };
        string[] answers = [author, title, genre, genre, genre == "Comedy" ? "Yes" : "No"];
        var asked = Enumerable.Range(0, count).Select(q => q % templates.Length).ToArray();
        var cover = SyntheticCoverSource.UniqueCover(index);
        var (width, height) = ImageHeaders.TryReadSize(cover) ?? (0, 0);
        return new OcrVqaRow(SyntheticCoverSource.Id(index), cover, [.. asked.Select(q => templates[q])], [.. asked.Select(q => answers[q])],
            title, author, genre, width, height, SplitOf(index));
    }

    private static async Task<string> ImportAsync(string work, string redisAddress)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        var workspace = new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = work }));
        var registry = new DatasetRegistry(redis);
        var queue = new DatasetImportQueue(redis, Options.Create(new WorkerOptions()), new WorkerIdentity(), NullLogger<DatasetImportQueue>.Instance);
        var imports = new DatasetImportService(registry, queue, workspace, TimeProvider.System);
        var accepted = await imports.ImportAsync(new ImportRequest(DatasetSourceKinds.Parquet, Name: $"ocrvqa-{Path.GetFileName(work)}", Location: "ocrvqa", Preset: "ocr-vqa"));
        var id = accepted.Accepted?.Id ?? throw new InvalidOperationException("The import was refused.");
        var importer = new DatasetImporter(registry, new DatasetSourceResolver(registry, workspace), workspace,
            new HuggingFaceDownloader(new HttpClient(), Options.Create(new HuggingFaceOptions()), NullLogger<HuggingFaceDownloader>.Instance),
            Options.Create(new DatasetOptions()), TimeProvider.System, NullLogger<DatasetImporter>.Instance);
        await using (var jobs = queue.TakeAsync(CancellationToken.None).GetAsyncEnumerator())
        {
            await jobs.MoveNextAsync();
            await queue.WorkAsync(jobs.Current, (job, token, _) => importer.RunAsync(job, token), CancellationToken.None, CancellationToken.None);
        }

        var summary = (await registry.GetAsync(id))!.Summary;
        await File.WriteAllTextAsync(Path.Combine(work, "dataset-id"), id);
        return $"{summary.Status}: {summary.Splits.Sum(s => s.Images):N0} images, {summary.Splits.Sum(s => s.QaPairs):N0} questions, {summary.ProblemCount} problems";
    }

    /// <summary>Dataset example pages at this size: the first builds the split's index (one scan), a deep one reads only its lines.</summary>
    private static async Task<string> PagesAsync(string work, string redisAddress)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        var workspace = new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = work }));
        var registry = new DatasetRegistry(redis);
        var entry = (await registry.GetAsync(await File.ReadAllTextAsync(Path.Combine(work, "dataset-id"))))!;
        var source = new DatasetSourceResolver(registry, workspace).Open(entry);
        var pages = new ExamplePageIndex(workspace);
        var examples = entry.Summary.Splits.Single(s => s.Split == VqaSplits.Train).QaPairs;
        var stopwatch = Stopwatch.StartNew();
        await pages.PageAsync(entry, source, VqaSplits.Train, null, 0, 20, CancellationToken.None);
        var first = stopwatch.Elapsed;
        var deep = TimeSpan.MaxValue;
        foreach (var offset in new[] { examples - 20, examples / 2, examples - 20 })
        {
            stopwatch.Restart();
            var (page, _) = await pages.PageAsync(entry, source, VqaSplits.Train, null, offset, 20, CancellationToken.None);
            deep = page.Count == 20 && stopwatch.Elapsed < deep ? stopwatch.Elapsed : deep;
        }

        stopwatch.Restart();
        await pages.PageAsync(entry, source, VqaSplits.Train, QuestionKind.YesNo, examples / 10, 20, CancellationToken.None);
        return $"train examples: first page {first.TotalSeconds:0.0} s (builds the index: one scan of {examples:N0} examples), a page near the end " +
            $"{deep.TotalMilliseconds:0.0} ms, a yes/no page {stopwatch.Elapsed.TotalMilliseconds:0.0} ms";
    }

    private static async Task<string> PrepareAsync(string work, string redisAddress, string trainImages)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        var workspace = new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = work }));
        var registry = new DatasetRegistry(redis);
        var id = await File.ReadAllTextAsync(Path.Combine(work, "dataset-id"));
        var source = await new DatasetSourceResolver(registry, workspace).OpenAsync(id, CancellationToken.None)
            ?? throw new InvalidOperationException($"Dataset {id} is not ready.");
        var train = trainImages == "all" ? int.MaxValue : int.Parse(trainImages, CultureInfo.InvariantCulture);
        var preparer = PreparationBenchmark.CreatePreparer(redis, work);
        var outcome = await preparer.PrepareAsync("full", new PrepareRequest(id, new SamplingSettings(train, 1000, 1000), Prompt: new PromptSettings(FewShotCount: 0)),
            source, new Progress<Api.Preparation.PreparationProgress>(), CancellationToken.None);
        var lines = outcome.Splits.Sum(s => s.Examples);
        var bytes = outcome.Splits.Sum(s => s.Bytes);
        return $"{outcome.Splits.Sum(s => s.Images):N0} images, {lines:N0} lines, {bytes / 1024.0 / 1024:0} MB, {outcome.ImagesEncoded:N0} encoded, " +
            $"valid lines {outcome.Splits.Sum(s => s.Validation.ValidLines):N0}, skipped {outcome.SkippedCount}";
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
