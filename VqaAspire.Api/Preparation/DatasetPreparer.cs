using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Preparation;

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

    /// <summary>The problem with the settings, in words, or null: the rules the new run form checks too.</summary>
    public static string? Problem(PrepareRequest request) => PrepareRequestRules.Problem(request);

    public async Task<PreparationOutcome> PrepareAsync(string runId, PrepareRequest request, IVqaSource source, IProgress<PreparationProgress> progress, CancellationToken cancellationToken)
    {
        var sampling = request.Sampling ?? new SamplingSettings();
        var imageSettings = request.Images ?? new ImageSettings();
        var prompt = request.Prompt ?? new PromptSettings();
        var encoding = new ImageEncodingSettings(imageSettings.Quality, imageSettings.MaxSide);
        var folder = workspace.Folder(RunPaths.PreparedFolder(runId));
        var skipped = new SkipLog(MaxReportedSkips);
        var counters = new EncodeCounters();

        // Pass 1: the cheap listing of each split, sampled.
        var samples = await SampleAsync(source, sampling, cancellationToken);

        var total = samples.Values.Sum(s => s.Count);
        var done = 0;
        progress.Report(new PreparationProgress(0, total, "Sampled"));

        var detail = imageSettings.Detail;
        var fewShot = await FewShotPicker.PickAsync(images, source, samples[VqaSplits.Train], prompt, encoding, counters, cancellationToken);
        var systemPrompt = string.IsNullOrWhiteSpace(prompt.SystemPrompt) ? PromptDefaults.SystemPrompt : prompt.SystemPrompt;

        var splits = new List<PreparedSplit>();
        foreach (var split in VqaSplits.All)
        {
            var chosen = samples[split];
            var withAnswer = split != VqaSplits.Test;
            var file = Path.Combine(folder, $"{split}.jsonl");
            var index = Path.Combine(folder, $"{split}.examples.jsonl");
            var examples = 0;
            using var splitSpan = PipelineTelemetry.ActivitySource.StartActivity("vqa.prepare.split");
            splitSpan?.SetTag("vqa.split", split);

            var purpose = withAnswer ? JsonlPurpose.Training : JsonlPurpose.Test;
            ValidationReport report;
            await using (var writer = new ChatJsonlWriter(file, index, systemPrompt, fewShot, detail, validator.Tokens, purpose))
            {
                var wanted = chosen.Select(s => s.ImageId).ToHashSet(StringComparer.Ordinal);
                var batch = new List<VqaImageRecord>(BatchSize);
                Task<(List<VqaImageRecord> Records, CachedImage[] Encoded)>? pending = null;
                await foreach (var record in source.ReadAsync(split, wanted, cancellationToken))
                {
                    if (!wanted.Remove(record.ImageId))
                    {
                        continue; // not sampled, or a duplicate id
                    }

                    batch.Add(record);
                    if (batch.Count == BatchSize)
                    {
                        await SubmitAsync(batch);
                        batch = new List<VqaImageRecord>(BatchSize);
                    }
                }

                await SubmitAsync(batch);
                await SubmitAsync([]);
                foreach (var missing in wanted)
                {
                    skipped.Add(new SkippedExample(split, missing, null, "The image was listed but could not be read back from the dataset."));
                }

                writer.Complete();
                report = writer.Report();

                // A batch encodes on every core while the batch before it is written, so the cores never wait for the writer;
                // an empty batch only writes the one in flight.
                async Task SubmitAsync(List<VqaImageRecord> records)
                {
                    var next = records.Count == 0 ? null : Task.Run(async () => (records, await EncodeBatchAsync(records)));
                    if (pending is not null)
                    {
                        var (written, encoded) = await pending;
                        WriteBatch(written, encoded);
                    }

                    pending = next;
                }

                async Task<CachedImage[]> EncodeBatchAsync(List<VqaImageRecord> records)
                {
                    using var batchSpan = PipelineTelemetry.ActivitySource.StartActivity("vqa.prepare.batch");
                    batchSpan?.SetTag("vqa.split", split);
                    batchSpan?.SetTag("vqa.batch_size", records.Count);
                    return await images.EncodeAsync([.. records.Select(r => r.Problem is null ? r.ImageBytes : null)], encoding, cancellationToken);
                }

                void WriteBatch(List<VqaImageRecord> records, CachedImage[] encoded)
                {
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

                        // One pooled literal per image, copied into each of its lines.
                        var dataUrl = ArrayPool<byte>.Shared.Rent(image.Image.DataUrlJsonLength);
                        var dataUrlLength = image.Image.WriteDataUrlJson(dataUrl);
                        for (var q = 0; q < record.Questions.Count; q++)
                        {
                            var question = record.Questions[q];
                            var exampleId = ExampleId(record.ImageId, q);
                            if (QuestionProblem(question) is { } problem)
                            {
                                skipped.Add(new SkippedExample(split, record.ImageId, exampleId, problem));
                                continue;
                            }

                            writer.Write(exampleId, record, question, dataUrl.AsSpan(0, dataUrlLength), image.Image.Width, image.Image.Height, image.CacheId,
                                withAnswer ? question.Answer : null);
                            examples++;
                        }

                        ArrayPool<byte>.Shared.Return(dataUrl);
                    }

                    done += records.Count;
                    progress.Report(new PreparationProgress(done, total, $"Encoding {split}"));
                }
            }

            BytesWritten.Add(new FileInfo(file).Length + new FileInfo(index).Length);
            // The lines were checked as they were written (the same rules as TrainingFileValidator on the file).
            progress.Report(new PreparationProgress(done, total, $"Validating {split}"));
            splitSpan?.SetTag("vqa.examples", examples);
            splits.Add(new PreparedSplit(split, chosen.Count - skipped.ImagesSkipped(split), examples,
                Path.GetRelativePath(workspace.Root, file), new FileInfo(file).Length, report));
        }

        var estimate = Estimate(request, splits);
        return new PreparationOutcome(splits, [.. fewShot.Select(f => f.ExampleId)], skipped.Kept, skipped.Count,
            counters.FromCache, counters.Encoded, estimate);
    }

    /// <summary>Lists every split (ids and kinds only, no image bytes) and draws the seeded sample of each.</summary>
    private async Task<Dictionary<string, IReadOnlyList<VqaImageSummary>>> SampleAsync(IVqaSource source, SamplingSettings sampling, CancellationToken cancellationToken)
    {
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

        return samples;
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
}
