using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets.HuggingFace;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// Runs an import: fetches or generates the files (Hugging Face download, sample covers), opens the source, scans every
/// split for stats and problems, and records the outcome in the registry. Span <c>vqa.import</c>.
/// </summary>
public sealed class DatasetImporter(
    DatasetRegistry registry,
    DatasetSourceResolver resolver,
    WorkspaceStorage workspace,
    HuggingFaceDownloader downloader,
    IOptions<DatasetOptions> options,
    TimeProvider time,
    ILogger<DatasetImporter> logger)
{
    public const string DatasetIdTag = "vqa.dataset_id";

    private static readonly Counter<long> ImagesImported = PipelineTelemetry.Meter.CreateCounter<long>("vqa.import.images", description: "Images found usable by dataset imports");
    private static readonly Counter<long> ProblemsFound = PipelineTelemetry.Meter.CreateCounter<long>("vqa.import.problems", description: "Records, questions and files skipped by dataset imports");

    public async Task RunAsync(ImportJob job, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.import");
        span?.SetTag(DatasetIdTag, job.DatasetId);
        var entry = await registry.GetAsync(job.DatasetId);
        if (entry is null)
        {
            return;
        }

        span?.SetTag("vqa.dataset_source", entry.Summary.Source);
        try
        {
            await FetchAsync(entry, job, cancellationToken);
            await ScanAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever a file throws (a parquet reader meets corrupt bytes in many ways), the dataset fails with a reason.
            var reason = ex is HttpRequestException http
                ? $"The download failed{(http.StatusCode is { } code ? $" (HTTP {(int)code})" : "")}: {http.HttpRequestError}."
                : ex is DatasetFormatException or WorkspacePathException or IOException
                    ? ex.Message
                    : $"The files could not be read ({ex.GetType().Name}: {ex.Message}).";
            logger.LogWarning("Import of {DatasetId} failed: {Reason}", job.DatasetId, reason);
            span?.SetStatus(ActivityStatusCode.Error, reason);
            await registry.UpdateAsync(job.DatasetId, s => s with
            {
                Status = DatasetStatuses.Failed,
                Error = reason,
                ProgressMessage = null,
                CompletedAt = time.GetUtcNow(),
            });
        }
    }

    private async Task FetchAsync(DatasetEntry entry, ImportJob job, CancellationToken cancellationToken)
    {
        var summary = entry.Summary;
        var folder = workspace.Resolve(summary.Location);
        if (summary.Source == DatasetSourceKinds.Sample)
        {
            using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.import.generate_sample");
            var sample = job.Sample ?? entry.Sample ?? new SampleOptions();
            await Progress(summary.Id, 0.05, $"Drawing {sample.Train + sample.Validation + sample.Test} sample covers");
            await SampleDatasetGenerator.WriteAsync(folder, sample, cancellationToken);
        }
        else if (summary.Source == DatasetSourceKinds.HuggingFace)
        {
            using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.import.download");
            var repo = entry.HuggingFaceId ?? summary.Name;
            span?.SetTag("vqa.hf_dataset", repo);
            var last = Stopwatch.GetTimestamp();
            var progress = new Progress<DownloadProgress>(p =>
            {
                if (Stopwatch.GetElapsedTime(last) < TimeSpan.FromSeconds(1) && p.FilesDone < p.FilesTotal)
                {
                    return;
                }

                last = Stopwatch.GetTimestamp();
                _ = Progress(summary.Id, 0.5 * p.FilesDone / Math.Max(1, p.FilesTotal),
                    $"Downloading {p.CurrentFile} ({p.FilesDone}/{p.FilesTotal} files, {p.Bytes / (1024.0 * 1024):N1} MB)");
            });
            await downloader.DownloadAsync(repo, folder, job.HuggingFaceToken, progress, cancellationToken);
        }
    }

    private async Task ScanAsync(DatasetEntry entry, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.import.scan");
        span?.SetTag(DatasetIdTag, entry.Summary.Id);
        var source = resolver.Open(entry);
        // Files refused at upload stay in the report; files left out (known before or met while reading) come next.
        var problems = new List<ImportProblem>(entry.Summary.Problems.Where(p => p.Where == UploadStore.ProblemSource));
        var recordProblems = new List<ImportProblem>();
        var recordProblemCount = 0;
        var maxProblems = options.Value.MaxReportedProblems;
        var stats = new List<SplitStats>();
        var splits = source.Splits;
        for (var s = 0; s < splits.Count; s++)
        {
            var split = splits[s];
            var images = 0;
            var pairs = 0;
            var skipped = 0;
            var kinds = Enum.GetNames<QuestionKind>().ToDictionary(k => k, _ => 0);
            var widths = new List<int>();
            var heights = new List<int>();
            await foreach (var scanned in source.ScanAsync(split, new ScanOptions(WithImages: false, WithSizes: true), cancellationToken))
            {
                var record = scanned.Record;
                foreach (var note in scanned.Notes)
                {
                    Report(new ImportProblem(split, record.ImageId, note));
                }

                if (record.Problem is not null)
                {
                    skipped++;
                    Report(new ImportProblem(split, record.ImageId, record.Problem));
                    continue;
                }

                images++;
                pairs += record.Questions.Count;
                foreach (var question in record.Questions)
                {
                    kinds[question.Kind.ToString()]++;
                }

                if (scanned.Width is { } w && scanned.Height is { } h)
                {
                    widths.Add(w);
                    heights.Add(h);
                }

                if (images % 2000 == 0)
                {
                    await Progress(entry.Summary.Id, 0.5 + 0.5 * s / splits.Count, $"Reading {split}: {images:N0} images");
                }
            }

            stats.Add(new SplitStats(split, images, pairs, kinds, Summarize(widths), Summarize(heights), skipped));
            ImagesImported.Add(images, new KeyValuePair<string, object?>(DatasetIdTag, entry.Summary.Id));
        }

        problems.AddRange(source.FileProblems.Select(p => new ImportProblem(null, p.Where, p.Reason)));
        var problemCount = problems.Count + recordProblemCount;
        problems.AddRange(recordProblems.Take(Math.Max(0, maxProblems - problems.Count)));
        ProblemsFound.Add(problemCount, new KeyValuePair<string, object?>(DatasetIdTag, entry.Summary.Id));
        var usable = stats.Sum(x => x.Images);
        span?.SetTag("vqa.images", usable);
        await registry.UpdateAsync(entry.Summary.Id, summary => summary with
        {
            Status = usable > 0 ? DatasetStatuses.Ready : DatasetStatuses.Failed,
            Error = usable > 0 ? null : "No usable image with a question was found; see the problems.",
            Progress = 1,
            ProgressMessage = null,
            Splits = stats,
            ProblemCount = problemCount,
            Problems = problems,
            CompletedAt = time.GetUtcNow(),
        });
        logger.LogInformation("Imported {DatasetId}: {Images} images, {Problems} problems", entry.Summary.Id, usable, problemCount);

        void Report(ImportProblem problem)
        {
            recordProblemCount++;
            if (recordProblems.Count < maxProblems)
            {
                recordProblems.Add(problem);
            }
        }
    }

    private Task Progress(string id, double progress, string message) =>
        registry.SetProgressAsync(id, Math.Round(progress, 3), message);

    private static SizeSummary? Summarize(List<int> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return new SizeSummary(values[0], values[values.Count / 2], values[^1]);
    }
}
