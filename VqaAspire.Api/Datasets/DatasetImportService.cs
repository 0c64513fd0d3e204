using VqaAspire.Api.Datasets.HuggingFace;
using VqaAspire.Api.Datasets.Manifest;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// Takes an import request (a workspace parquet folder or glob, a manifest folder, a Hugging Face id, or the synthetic
/// sample): checks it, registers the dataset and queues the import that <see cref="DatasetImporter"/> then runs.
/// </summary>
public sealed class DatasetImportService(DatasetRegistry registry, DatasetImportQueue queue, WorkspaceStorage workspace, TimeProvider time)
{
    /// <summary>The most images a split of the synthetic sample takes.</summary>
    public const int MaxSampleImagesPerSplit = 20_000;

    public async Task<DatasetImportResult> ImportAsync(ImportRequest request)
    {
        var source = request.Source?.Trim().ToLowerInvariant() ?? "";
        if (!DatasetSourceKinds.All.Contains(source))
        {
            return DatasetImportResult.Invalid("source", $"Source must be one of {string.Join(", ", DatasetSourceKinds.All)}.");
        }

        if (DatasetEntries.Preset(request.Preset) is not { } preset)
        {
            return DatasetImportResult.Invalid("preset", DatasetEntries.UnknownPresetMessage);
        }

        var now = time.GetUtcNow();
        var (entry, refused) = source switch
        {
            DatasetSourceKinds.Sample => SampleEntry(request, now),
            DatasetSourceKinds.HuggingFace => HuggingFaceEntry(request, preset, now),
            _ => WorkspaceEntry(request, source, preset, now),
        };
        if (entry is null)
        {
            return refused!;
        }

        if (!await registry.TryCreateAsync(entry))
        {
            var existing = (await registry.GetAsync(entry.Summary.Id))!;
            if (existing.Summary.Status != DatasetStatuses.Failed)
            {
                // The sample (same seed and sizes) is imported once; asking again points at it.
                return DatasetImportResult.Started(new ImportAccepted(existing.Summary.Id, existing.Summary.Status, DatasetEntries.Location(existing.Summary.Id)));
            }

            await registry.SaveAsync(entry);
        }

        return await QueueAsync(entry, request.HuggingFaceToken);
    }

    /// <summary>
    /// Imports a registered dataset again from where it came from (the sample is drawn afresh with its seed): its stats,
    /// problems and example pages are rebuilt. The caller checks that it is not importing already.
    /// </summary>
    public async Task<DatasetImportResult> ReimportAsync(DatasetEntry entry)
    {
        var queued = entry with
        {
            Summary = entry.Summary with
            {
                Status = DatasetStatuses.Importing, Progress = 0, ProgressMessage = "Queued", Error = null, CompletedAt = null,
                Splits = [], ProblemCount = 0, Problems = [],
            },
        };
        await registry.SaveAsync(queued);
        return await QueueAsync(entry, huggingFaceToken: null);
    }

    private async Task<DatasetImportResult> QueueAsync(DatasetEntry entry, string? huggingFaceToken)
    {
        if (!await queue.TryEnqueueAsync(new ImportJob(entry.Summary.Id, huggingFaceToken, entry.Sample)))
        {
            await registry.UpdateAsync(entry.Summary.Id, s => s with { Status = DatasetStatuses.Failed, Error = "The import queue is full; try again later." });
            return DatasetImportResult.QueueFull;
        }

        return DatasetImportResult.Started(new ImportAccepted(entry.Summary.Id, DatasetStatuses.Importing, DatasetEntries.Location(entry.Summary.Id)));
    }

    private static (DatasetEntry? Entry, DatasetImportResult? Refused) SampleEntry(ImportRequest request, DateTimeOffset now)
    {
        var sample = request.Sample ?? new SampleOptions();
        if (sample.Train is < 0 or > MaxSampleImagesPerSplit || sample.Validation is < 0 or > MaxSampleImagesPerSplit || sample.Test is < 0 or > MaxSampleImagesPerSplit
            || sample.Train + sample.Validation + sample.Test == 0)
        {
            return (null, DatasetImportResult.Invalid("sample", "Each split takes 0 to 20,000 images, and at least one image in all."));
        }

        // The default sample keeps its well-known id; other sizes or seeds get an id of their own.
        var id = sample == new SampleOptions()
            ? SampleDatasetGenerator.DatasetId
            : $"sample-s{sample.Seed}-{sample.Train}-{sample.Validation}-{sample.Test}";
        var entry = DatasetStartup.NewSampleEntry(id, sample, now);
        if (!string.IsNullOrWhiteSpace(request.Name))
        {
            entry = entry with { Summary = entry.Summary with { Name = request.Name.Trim() } };
        }

        return (entry, null);
    }

    private static (DatasetEntry? Entry, DatasetImportResult? Refused) HuggingFaceEntry(ImportRequest request, string preset, DateTimeOffset now)
    {
        var repo = request.Location?.Trim();
        if (!HuggingFaceDownloader.IsValidId(repo))
        {
            return (null, DatasetImportResult.Invalid("location", "Give the Hugging Face dataset id as owner/name, e.g. howard-hou/OCR-VQA."));
        }

        var id = DatasetEntries.NewId(repo!);
        return (DatasetEntries.New(id, request.Name?.Trim() ?? repo!, DatasetSourceKinds.HuggingFace, $"datasets/{id}", preset, request.Columns, now) with { HuggingFaceId = repo }, null);
    }

    /// <summary>A parquet folder or glob, or a manifest folder, already in the workspace.</summary>
    private (DatasetEntry? Entry, DatasetImportResult? Refused) WorkspaceEntry(ImportRequest request, string source, string preset, DateTimeOffset now)
    {
        var location = request.Location?.Trim().Replace('\\', '/') ?? "";
        if (location.Length == 0)
        {
            return (null, DatasetImportResult.Invalid("location", "Give the workspace-relative folder (or, for parquet, a glob like data/train-*.parquet)."));
        }

        string full;
        try
        {
            full = workspace.Resolve(location);
        }
        catch (WorkspacePathException ex)
        {
            return (null, DatasetImportResult.Invalid("location", ex.Message));
        }

        var isGlob = Path.GetFileName(full).IndexOfAny(['*', '?']) >= 0;
        var exists = source == DatasetSourceKinds.Manifest
            ? Directory.Exists(full) && ManifestVqaSource.FindManifest(full) is not null
            : Directory.Exists(full) || (isGlob && Directory.Exists(Path.GetDirectoryName(full)));
        if (!exists)
        {
            return (null, DatasetImportResult.Invalid("location", source == DatasetSourceKinds.Manifest
                ? $"'{location}' is not a workspace folder with a manifest ({string.Join(" or ", ManifestVqaSource.ManifestNames)})."
                : $"'{location}' is not a workspace folder (or a glob in one)."));
        }

        var id = DatasetEntries.NewId(request.Name ?? Path.GetFileName(location.TrimEnd('/', '*')));
        return (DatasetEntries.New(id, request.Name?.Trim() ?? location, source, location, preset, request.Columns, now), null);
    }
}
