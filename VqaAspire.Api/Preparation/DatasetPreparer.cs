using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Preparation;

/// <summary>Where a preparation stands: images done out of images sampled.</summary>
public readonly record struct PreparationProgress(int ImagesDone, int ImagesTotal, string Message);

/// <summary>
/// Turns a dataset into the run's chat-format JSONL: seeded sampling per split, images encoded through the cache,
/// lines streamed to the workspace (never a whole split in memory), then pre-flight validation and a cost estimate.
/// </summary>
public sealed class DatasetPreparer(
    CachedImageEncoder images,
    TrainingFileValidator validator,
    WorkspaceStorage workspace,
    Microsoft.Extensions.Options.IOptions<PricingOptions> pricing,
    ILogger<DatasetPreparer> logger)
{
    public const string DefaultBaseModel = "gpt-4o-2024-08-06";

    /// <summary>Images read and encoded together: enough to keep every core busy, small enough to bound memory.</summary>
    public const int BatchSize = 32;

    /// <summary>Skipped examples kept in the outcome; the count goes on past it.</summary>
    public const int MaxReportedSkips = 1000;

    private static readonly Counter<long> BytesWritten = PipelineTelemetry.Meter.CreateCounter<long>("vqa.prepare.bytes_written", "By", "JSONL bytes written by preparation.");
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>The problem with the settings, in words, or null.</summary>
    public static string? Problem(PrepareRequest request)
    {
        var sampling = request.Sampling ?? new SamplingSettings();
        var image = request.Images ?? new ImageSettings();
        var prompt = request.Prompt ?? new PromptSettings();
        if (string.IsNullOrWhiteSpace(request.DatasetId))
        {
            return "datasetId is required.";
        }

        if (sampling.Train < 0 || sampling.Validation < 0 || sampling.Test < 0)
        {
            return "Sample sizes cannot be negative.";
        }

        if (prompt.FewShotCount is < 0 or > PromptDefaults.MaxFewShot)
        {
            return $"fewShotCount must be between 0 and {PromptDefaults.MaxFewShot} (OpenAI takes at most 10 images per example).";
        }

        if (image.Detail is not ("auto" or "low" or "high"))
        {
            return "detail must be auto, low or high.";
        }

        if (request.Epochs is < 1 or > 50)
        {
            return "epochs must be between 1 and 50 (or omitted for auto).";
        }

        return new ImageEncodingSettings(image.Quality, image.MaxSide).Problem();
    }

    public async Task<PreparationOutcome> PrepareAsync(string runId, PrepareRequest request, IVqaSource source, IProgress<PreparationProgress> progress, CancellationToken cancellationToken)
    {
        var sampling = request.Sampling ?? new SamplingSettings();
        var imageSettings = request.Images ?? new ImageSettings();
        var prompt = request.Prompt ?? new PromptSettings();
        var encoding = new ImageEncodingSettings(imageSettings.Quality, imageSettings.MaxSide);
        var folder = workspace.Folder(RunPaths.PreparedFolder(runId));
        var skipped = new SkipLog();
        var counters = new EncodeCounters();

        // Pass 1: the cheap listing of each split, sampled.
        var samples = new Dictionary<string, IReadOnlyList<VqaImageSummary>>();
        foreach (var (split, count) in new[] { (VqaSplits.Train, sampling.Train), (VqaSplits.Validation, sampling.Validation), (VqaSplits.Test, sampling.Test) })
        {
            using var listing = PipelineTelemetry.ActivitySource.StartActivity("vqa.prepare.sample");
            listing?.SetTag("vqa.split", split);
            var all = new List<VqaImageSummary>();
            await foreach (var summary in source.ListAsync(split, cancellationToken))
            {
                all.Add(summary);
            }

            samples[split] = Sampler.Sample(all, count, sampling.Seed, sampling.Stratify);
            listing?.SetTag("vqa.images_available", all.Count);
            listing?.SetTag("vqa.images_sampled", samples[split].Count);
            if (samples[split].Count < count)
            {
                logger.LogInformation("Split {Split} has {Available} images; {Requested} were asked for", split, all.Count, count);
            }
        }

        var total = samples.Values.Sum(s => s.Count);
        var done = 0;
        progress.Report(new PreparationProgress(0, total, "Sampled"));

        var detail = imageSettings.Detail;
        var fewShot = await LoadFewShotAsync(source, samples[VqaSplits.Train], prompt, encoding, detail, counters, cancellationToken);
        var systemPrompt = string.IsNullOrWhiteSpace(prompt.SystemPrompt) ? PromptDefaults.SystemPrompt : prompt.SystemPrompt;

        var splits = new List<PreparedSplit>();
        foreach (var split in VqaSplits.All)
        {
            var chosen = samples[split];
            var withAnswer = split != VqaSplits.Test;
            var file = Path.Combine(folder, $"{split}.jsonl");
            var index = Path.Combine(folder, $"{split}.examples.jsonl");
            var exampleIds = new List<string>();
            using var splitSpan = PipelineTelemetry.ActivitySource.StartActivity("vqa.prepare.split");
            splitSpan?.SetTag("vqa.split", split);

            await using (var lines = new LineFile(file))
            await using (var sidecar = new LineFile(index))
            {
                var wanted = chosen.Select(s => s.ImageId).ToHashSet(StringComparer.Ordinal);
                var batch = new List<VqaImageRecord>(BatchSize);
                await foreach (var record in source.ReadAsync(split, wanted, cancellationToken))
                {
                    if (!wanted.Remove(record.ImageId))
                    {
                        continue; // not sampled, or a duplicate id
                    }

                    batch.Add(record);
                    if (batch.Count == BatchSize)
                    {
                        await WriteBatchAsync(batch);
                    }
                }

                await WriteBatchAsync(batch);
                foreach (var missing in wanted)
                {
                    skipped.Add(new SkippedExample(split, missing, null, "The image was listed but could not be read back from the dataset."));
                }

                lines.Complete();
                sidecar.Complete();

                async Task WriteBatchAsync(List<VqaImageRecord> records)
                {
                    if (records.Count == 0)
                    {
                        return;
                    }

                    using var batchSpan = PipelineTelemetry.ActivitySource.StartActivity("vqa.prepare.batch");
                    batchSpan?.SetTag("vqa.split", split);
                    batchSpan?.SetTag("vqa.batch_size", records.Count);
                    var encoded = await images.EncodeAsync([.. records.Select(r => r.Problem is null ? r.ImageBytes : null)], encoding, cancellationToken);
                    counters.Count(encoded);
                    for (var i = 0; i < records.Count; i++)
                    {
                        var record = records[i];
                        var image = encoded[i];
                        if (record.Problem is not null || image.Image.Problem is not null)
                        {
                            skipped.Add(new SkippedExample(split, record.ImageId, null, record.Problem ?? image.Image.Problem!));
                            continue;
                        }

                        var dataUrl = image.Image.ToDataUrlJson();
                        for (var q = 0; q < record.Questions.Count; q++)
                        {
                            var question = record.Questions[q];
                            var exampleId = ExampleId(record.ImageId, q);
                            if (QuestionProblem(question) is { } problem)
                            {
                                skipped.Add(new SkippedExample(split, record.ImageId, exampleId, problem));
                                continue;
                            }

                            lines.Write(w => WriteLine(w, systemPrompt, fewShot, question.Text, dataUrl, detail, withAnswer ? question.Answer : null));
                            sidecar.Write(w => WriteIndexRow(w, exampleIds.Count + 1, exampleId, record, question, image.CacheId));
                            exampleIds.Add(exampleId);
                        }
                    }

                    done += records.Count;
                    progress.Report(new PreparationProgress(done, total, $"Encoding {split}"));
                    records.Clear();
                }
            }

            BytesWritten.Add(new FileInfo(file).Length + new FileInfo(index).Length);
            progress.Report(new PreparationProgress(done, total, $"Validating {split}"));
            var report = await validator.ValidateAsync(file, withAnswer ? JsonlPurpose.Training : JsonlPurpose.Test, exampleIds, cancellationToken);
            splitSpan?.SetTag("vqa.examples", exampleIds.Count);
            splits.Add(new PreparedSplit(split, chosen.Count - skipped.ImagesSkipped(split), exampleIds.Count,
                Path.GetRelativePath(workspace.Root, file), new FileInfo(file).Length, report));
        }

        var estimate = Estimate(request, splits);
        return new PreparationOutcome(splits, [.. fewShot.Select(f => f.ExampleId)], skipped.Kept, skipped.Count,
            counters.FromCache, counters.Encoded, estimate);
    }

    public TrainingEstimate? Estimate(PrepareRequest request, IReadOnlyList<PreparedSplit> splits)
    {
        var train = splits.FirstOrDefault(s => s.Split == VqaSplits.Train);
        if (train is null)
        {
            return null;
        }

        var model = request.BaseModel ?? DefaultBaseModel;
        var epochs = request.Epochs ?? TrainingBilling.AutoEpochs(train.Validation.ValidLines);
        var price = pricing.Value.Find(model)?.TrainingPerMillion;
        var trained = train.Validation.BilledTokens * epochs;
        var validation = splits.FirstOrDefault(s => s.Split == VqaSplits.Validation)?.Validation.BilledTokens ?? 0;
        return new TrainingEstimate(model, train.Validation.ValidLines, train.Validation.BilledTokens, epochs, request.Epochs is null, trained,
            price, price is { } p ? Math.Round(trained * p / 1_000_000m, 2) : null, validation);
    }

    /// <summary>Stable id of an example: the image id and the question's position in the image's list.</summary>
    public static string ExampleId(string imageId, int questionIndex) => $"{imageId}#q{questionIndex}";

    /// <summary>Questions OpenAI would refuse or that cannot teach anything.</summary>
    public const int MaxQuestionCharacters = 2000;

    private static string? QuestionProblem(VqaQuestion question) =>
        string.IsNullOrWhiteSpace(question.Text) ? "The question is empty."
        : question.Text.Length > MaxQuestionCharacters ? $"The question has {question.Text.Length:N0} characters; the limit is {MaxQuestionCharacters:N0}."
        : string.IsNullOrWhiteSpace(question.Answer) ? "The answer is empty."
        : question.Answer.Length > MaxQuestionCharacters ? $"The answer has {question.Answer.Length:N0} characters; the limit is {MaxQuestionCharacters:N0}."
        : null;

    private sealed record FewShotPair(string ExampleId, string Question, string Answer, byte[] DataUrl);

    /// <summary>
    /// The few-shot pairs: the requested train example ids, or the first sampled train examples taking one question
    /// kind at a time so the pairs show the model every kind of question.
    /// </summary>
    private async Task<IReadOnlyList<FewShotPair>> LoadFewShotAsync(IVqaSource source, IReadOnlyList<VqaImageSummary> train, PromptSettings prompt,
        ImageEncodingSettings encoding, string detail, EncodeCounters counters, CancellationToken cancellationToken)
    {
        if (prompt.FewShotCount == 0 && prompt.FewShotExampleIds is not { Count: > 0 })
        {
            return [];
        }

        var requested = prompt.FewShotExampleIds?.Take(PromptDefaults.MaxFewShot).ToList();
        var imageIds = requested is { Count: > 0 }
            ? requested.Select(id => id.Split("#q")[0]).ToHashSet(StringComparer.Ordinal)
            : train.Take(prompt.FewShotCount * 2).Select(s => s.ImageId).ToHashSet(StringComparer.Ordinal);

        var candidates = new List<(string ExampleId, VqaQuestion Question, byte[] Image)>();
        await foreach (var record in source.ReadAsync(VqaSplits.Train, imageIds, cancellationToken))
        {
            if (record.Problem is null && record.ImageBytes is { Length: > 0 } && imageIds.Contains(record.ImageId))
            {
                candidates.AddRange(record.Questions.Select((q, i) => (ExampleId(record.ImageId, i), q, record.ImageBytes)));
            }
        }

        var order = train.Select((s, i) => (s.ImageId, i)).ToDictionary(x => x.ImageId, x => x.i);
        candidates = [.. candidates.OrderBy(c => order.GetValueOrDefault(c.ExampleId.Split("#q")[0], int.MaxValue)).ThenBy(c => c.ExampleId, StringComparer.Ordinal)];
        var picked = requested is { Count: > 0 }
            ? [.. requested.Select(id => candidates.FirstOrDefault(c => c.ExampleId == id)).Where(c => c.ExampleId is not null)]
            : RoundRobinByKind(candidates, prompt.FewShotCount);

        var encoded = await images.EncodeAsync([.. picked.Select(p => p.Image)], encoding, cancellationToken);
        counters.Count(encoded);
        return [.. picked.Zip(encoded).Where(x => x.Second.Image.Problem is null)
            .Select(x => new FewShotPair(x.First.ExampleId, x.First.Question.Text, x.First.Question.Answer, x.Second.Image.ToDataUrlJson()))];
    }

    private static List<(string ExampleId, VqaQuestion Question, byte[] Image)> RoundRobinByKind(
        List<(string ExampleId, VqaQuestion Question, byte[] Image)> candidates, int count)
    {
        var byKind = candidates.GroupBy(c => c.Question.Kind).OrderBy(g => g.Key).Select(g => new Queue<(string, VqaQuestion, byte[])>(g)).ToList();
        var picked = new List<(string, VqaQuestion, byte[])>();
        while (picked.Count < count && byKind.Any(q => q.Count > 0))
        {
            foreach (var queue in byKind.Where(q => q.Count > 0))
            {
                if (picked.Count < count)
                {
                    picked.Add(queue.Dequeue());
                }
            }
        }

        return picked;
    }

    private static void WriteLine(Utf8JsonWriter w, string systemPrompt, IReadOnlyList<FewShotPair> fewShot, string question, byte[] dataUrl, string detail, string? answer)
    {
        w.WriteStartObject();
        w.WriteStartArray("messages");
        WriteMessage(w, "system", systemPrompt);
        foreach (var pair in fewShot)
        {
            WriteUserTurn(w, pair.Question, pair.DataUrl, detail);
            WriteMessage(w, "assistant", pair.Answer);
        }

        WriteUserTurn(w, question, dataUrl, detail);
        if (answer is not null)
        {
            WriteMessage(w, "assistant", answer);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, string role, string content)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        w.WriteEndObject();
    }

    private static void WriteUserTurn(Utf8JsonWriter w, string question, byte[] dataUrlJson, string detail)
    {
        w.WriteStartObject();
        w.WriteString("role", "user");
        w.WriteStartArray("content");
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", question);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("type", "image_url");
        w.WriteStartObject("image_url");
        w.WritePropertyName("url");
        // Base64 needs no escaping: the literal made once per image is copied as is.
        w.WriteRawValue(dataUrlJson, skipInputValidation: true);
        w.WriteString("detail", detail);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteIndexRow(Utf8JsonWriter w, int line, string exampleId, VqaImageRecord record, VqaQuestion question, string imageCacheId)
    {
        w.WriteStartObject();
        w.WriteNumber("line", line);
        w.WriteString("example_id", exampleId);
        w.WriteString("image_id", record.ImageId);
        w.WriteString("question", question.Text);
        w.WriteString("answer", question.Answer);
        w.WriteStartArray("accepted_answers");
        foreach (var accepted in question.AcceptedAnswers)
        {
            w.WriteStringValue(accepted);
        }

        w.WriteEndArray();
        w.WriteString("kind", question.Kind.ToString());
        w.WriteString("image", imageCacheId);
        w.WriteEndObject();
    }

    /// <summary>A JSONL file written through one reused JSON writer; lands under its name only when complete.</summary>
    private sealed class LineFile : IAsyncDisposable
    {
        private readonly string _path;
        private readonly string _partial;
        private readonly FileStream _stream;
        private readonly Utf8JsonWriter _writer;
        private bool _complete;

        public LineFile(string path)
        {
            _path = path;
            _partial = path + ".partial";
            _stream = new FileStream(_partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            _writer = new Utf8JsonWriter(_stream, WriterOptions);
        }

        public void Write(Action<Utf8JsonWriter> line)
        {
            line(_writer);
            _writer.Flush();
            _stream.WriteByte((byte)'\n');
            _writer.Reset(_stream);
        }

        /// <summary>Marks the file whole: only then does it replace the file of that name.</summary>
        public void Complete() => _complete = true;

        public async ValueTask DisposeAsync()
        {
            await _writer.DisposeAsync();
            await _stream.DisposeAsync();
            if (_complete)
            {
                File.Move(_partial, _path, overwrite: true);
            }
            else
            {
                File.Delete(_partial);
            }
        }
    }

    private sealed class SkipLog
    {
        private readonly Dictionary<string, HashSet<string>> _imagesBySplit = [];

        public List<SkippedExample> Kept { get; } = [];

        public int Count { get; private set; }

        public void Add(SkippedExample skip)
        {
            Count++;
            if (skip.ExampleId is null)
            {
                (_imagesBySplit.TryGetValue(skip.Split, out var set) ? set : _imagesBySplit[skip.Split] = []).Add(skip.ImageId);
            }

            if (Kept.Count < MaxReportedSkips)
            {
                Kept.Add(skip);
            }
        }

        public int ImagesSkipped(string split) => _imagesBySplit.TryGetValue(split, out var set) ? set.Count : 0;
    }

    private sealed class EncodeCounters
    {
        public int FromCache;
        public int Encoded;

        public void Count(IEnumerable<CachedImage> batch)
        {
            foreach (var image in batch)
            {
                if (image.Image.Problem is null)
                {
                    if (image.FromCache)
                    {
                        FromCache++;
                    }
                    else
                    {
                        Encoded++;
                    }
                }
            }
        }
    }
}
