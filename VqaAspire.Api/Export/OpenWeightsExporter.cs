using System.IO.Compression;
using System.Text;
using System.Text.Json;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Export;

/// <summary>
/// Writes a prepared run as a zip for open-weights trainers, straight into the response: the covers as files under
/// <c>images/</c> (each once), the train and validation splits in LLaMA-Factory's, Axolotl's and Hugging Face's formats,
/// the test split apart under <c>eval/</c>, starter configs and a README. One pass over each prepared JSONL; the
/// per-format files go through a scratch folder in the workspace (removed afterwards) because a zip takes one entry
/// at a time while the images arrive with the lines.
/// </summary>
public sealed class OpenWeightsExporter(WorkspaceStorage workspace, ILogger<OpenWeightsExporter> logger)
{
    /// <summary>The splits that go into training files; the test split never does.</summary>
    public static readonly IReadOnlyList<string> TrainingSplits = [VqaSplits.Train, VqaSplits.Validation];

    /// <summary>How much of a file is copied (and sent) at a time.</summary>
    private const int CopyChunkBytes = 1 << 20;

    /// <summary>The prepared files an export reads; the endpoint checks they are there before it starts the zip.</summary>
    public static IEnumerable<string> PreparedFiles() =>
        [.. VqaSplits.All.Select(s => $"{s}.jsonl"), $"{VqaSplits.Test}.examples.jsonl"];

    /// <summary>Writes the bundle of run <paramref name="runId"/> for <paramref name="baseModel"/> into <paramref name="output"/> (which may be unseekable).</summary>
    public async Task WriteAsync(string runId, string baseModel, int fewShot, Stream output, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.export.open_weights");
        span?.SetTag("vqa.run_id", runId);
        var prepared = workspace.Resolve(RunPaths.PreparedFolder(runId));
        var scratch = workspace.Folder("runs", runId, $"export-{Guid.NewGuid():N}");
        try
        {
            await using var drained = new DrainedZipOutput(output);
            var zip = await ZipArchive.CreateAsync(drained, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            var written = new HashSet<string>(StringComparer.Ordinal);
            var examples = new Dictionary<string, int>();

            foreach (var split in VqaSplits.All)
            {
                var isTest = split == VqaSplits.Test;
                var files = isTest
                    ? new SplitFiles(null, Path.Combine(scratch, $"{split}.axolotl.jsonl"), null)
                    : new SplitFiles(Path.Combine(scratch, $"{split}.llamafactory.json"), Path.Combine(scratch, $"{split}.axolotl.jsonl"), Path.Combine(scratch, $"{split}.parquet"));
                examples[split] = await ConvertSplitAsync(zip, drained, Path.Combine(prepared, $"{split}.jsonl"), files, written, cancellationToken);
                if (isTest)
                {
                    // Questions with image paths and no answers; the truth beside them, as the run scores it.
                    await AddFileAsync(zip, drained, "eval/test.jsonl", files.Axolotl, cancellationToken);
                    await AddFileAsync(zip, drained, "eval/test.examples.jsonl", Path.Combine(prepared, $"{split}.examples.jsonl"), cancellationToken);
                }
                else
                {
                    await AddFileAsync(zip, drained, $"llamafactory/{split}.json", files.LlamaFactory!, cancellationToken);
                    await AddFileAsync(zip, drained, $"axolotl/{split}.jsonl", files.Axolotl, cancellationToken);
                    await AddFileAsync(zip, drained, $"hf/{split}.parquet", files.Parquet!, cancellationToken);
                }
            }

            var facts = new BundleFacts(runId, baseModel, examples, fewShot, examples[VqaSplits.Validation] > 0);
            await AddTextAsync(zip, drained, "dataset_info.json", DatasetInfo(), cancellationToken);
            await AddTextAsync(zip, drained, "llamafactory/lora_sft.yaml", StarterConfigs.LlamaFactoryYaml(facts), cancellationToken);
            await AddTextAsync(zip, drained, "axolotl/lora.yaml", StarterConfigs.AxolotlYaml(facts), cancellationToken);
            await AddTextAsync(zip, drained, "hf/train_trl.py", StarterConfigs.TrlScript(facts), cancellationToken);
            await AddTextAsync(zip, drained, "README.md", StarterConfigs.Readme(facts), cancellationToken);
            await zip.DisposeAsync(); // the central directory
            await drained.DrainAsync(cancellationToken);
            await output.FlushAsync(cancellationToken);
            span?.SetTag("vqa.images", written.Count);
            logger.LogInformation("Exported run {RunId} for open-weights trainers: {Images} images, {Examples} examples", runId, written.Count, examples.Values.Sum());
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not remove the export's scratch folder {Folder}", scratch);
            }
        }
    }

    private sealed record SplitFiles(string? LlamaFactory, string Axolotl, string? Parquet);

    /// <summary>Reads a prepared split line by line: new images go into the zip, each line into every format's file.</summary>
    private static async Task<int> ConvertSplitAsync(ZipArchive zip, DrainedZipOutput drained, string preparedFile, SplitFiles files, HashSet<string> written, CancellationToken cancellationToken)
    {
        var split = Path.GetFileNameWithoutExtension(preparedFile);
        LlamaFactoryWriter? llamaFactory = files.LlamaFactory is null ? null : new LlamaFactoryWriter(files.LlamaFactory);
        HuggingFaceParquetWriter? parquet = files.Parquet is null ? null : new HuggingFaceParquetWriter(files.Parquet);
        var axolotl = new AxolotlWriter(files.Axolotl);
        try
        {
            var count = 0;
            var newImages = new List<(string Path, byte[] Bytes)>();
            using var reader = new StreamReader(preparedFile, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                ExportConversation conversation;
                try
                {
                    conversation = ExportConversation.Parse(line, (path, bytes) =>
                    {
                        if (written.Add(path))
                        {
                            newImages.Add((path, bytes));
                        }
                    });
                }
                catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new InvalidDataException($"{split}.jsonl line {count + 1}: {e.Message}", e);
                }

                foreach (var (path, bytes) in newImages)
                {
                    var entry = zip.CreateEntry(path, CompressionLevel.NoCompression); // JPEG/PNG/WEBP are compressed already
                    await using (var stream = await entry.OpenAsync(cancellationToken))
                    {
                        await stream.WriteAsync(bytes, cancellationToken);
                    }

                    await drained.DrainAsync(cancellationToken);
                }

                newImages.Clear();
                if (llamaFactory is not null)
                {
                    await llamaFactory.WriteAsync(conversation, cancellationToken);
                }

                await axolotl.WriteAsync(conversation, cancellationToken);
                if (parquet is not null)
                {
                    await parquet.WriteAsync(conversation, cancellationToken);
                }

                count++;
            }

            if (parquet is not null)
            {
                await parquet.CompleteAsync(cancellationToken);
            }

            return count;
        }
        finally
        {
            if (llamaFactory is not null)
            {
                await llamaFactory.DisposeAsync();
            }

            if (parquet is not null)
            {
                await parquet.DisposeAsync();
            }

            await axolotl.DisposeAsync();
        }
    }

    private static string DatasetInfo()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            LlamaFactoryWriter.WriteDatasetInfo(w, TrainingSplits.Select(s => ($"vqa_{s}", $"llamafactory/{s}.json")));
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Copies a file into an entry a chunk at a time, each chunk drained to the output before the next is read.</summary>
    private static async Task AddFileAsync(ZipArchive zip, DrainedZipOutput drained, string name, string path, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, name.EndsWith(".parquet", StringComparison.Ordinal) ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
        var chunk = new byte[CopyChunkBytes];
        await using (var target = await entry.OpenAsync(cancellationToken))
        await using (var source = File.OpenRead(path))
        {
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                await target.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
                await drained.DrainAsync(cancellationToken);
            }
        }

        await drained.DrainAsync(cancellationToken);
    }

    private static async Task AddTextAsync(ZipArchive zip, DrainedZipOutput drained, string name, string text, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using (var target = await entry.OpenAsync(cancellationToken))
        {
            await target.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        }

        await drained.DrainAsync(cancellationToken);
    }
}
