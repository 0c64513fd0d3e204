using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets.Manifest;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// Takes an upload (parquet shards, or images with a manifest, as multipart/form-data): saves the files into the
/// workspace under a new dataset, registers it and queues its import.
/// </summary>
public sealed class DatasetUploadService(DatasetRegistry registry, DatasetImportQueue queue, WorkspaceStorage workspace, IOptions<DatasetOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// Files one upload may carry. The form reader's default (1,024 values, files included) refused an image folder of
    /// 2,000 covers and its manifest; the byte limit is what bounds an upload.
    /// </summary>
    public const int MaxFilesPerUpload = 1_000_000;

    public async Task<DatasetImportResult> UploadAsync(HttpRequest http, string? name, string? requestedPreset, CancellationToken cancellationToken)
    {
        if (!http.HasFormContentType)
        {
            return DatasetImportResult.Invalid("files", "Send the files as multipart/form-data.");
        }

        var limit = options.Value.MaxUploadBytes;
        if (http.ContentLength > limit)
        {
            return DatasetImportResult.Invalid("files", $"The upload is {http.ContentLength:N0} bytes; the limit is {limit:N0}.");
        }

        if (DatasetEntries.Preset(requestedPreset) is not { } preset)
        {
            return DatasetImportResult.Invalid("preset", DatasetEntries.UnknownPresetMessage);
        }

        // Only uploads take large bodies: raise the server's and the form reader's limits for this request alone.
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        http.HttpContext.Features.Set<IFormFeature>(new FormFeature(http, new FormOptions { MultipartBodyLengthLimit = limit, ValueCountLimit = MaxFilesPerUpload }));
        IFormFileCollection files;
        try
        {
            files = (await http.ReadFormAsync(cancellationToken)).Files;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return DatasetImportResult.Invalid("files", $"The multipart body could not be read: {ex.Message}");
        }

        if (files.Count == 0)
        {
            return DatasetImportResult.Invalid("files", "The request carries no file.");
        }

        if (files.Sum(f => f.Length) > limit)
        {
            return DatasetImportResult.Invalid("files", $"The files add up to {files.Sum(f => f.Length):N0} bytes; the limit is {limit:N0}.");
        }

        return await SaveAndQueueAsync(files, name, preset, cancellationToken);
    }

    private async Task<DatasetImportResult> SaveAndQueueAsync(IFormFileCollection files, string? name, string preset, CancellationToken cancellationToken)
    {
        var id = DatasetEntries.NewId(name ?? Path.GetFileNameWithoutExtension(files[0].FileName));
        var (saved, errors) = await UploadStore.SaveAsync(files, workspace, $"datasets/{id}/files", cancellationToken);
        if (saved.Count == 0)
        {
            return DatasetImportResult.Invalid("files", [.. errors], "No uploaded file was accepted.");
        }

        return await QueueImportAsync(id, name?.Trim() ?? files[0].FileName, preset, $"datasets/{id}/files", saved, errors);
    }

    /// <summary>
    /// Registers the files saved under <paramref name="folder"/> as a new dataset (images with a manifest, or parquet shards)
    /// and queues its import; the files refused on the way become its problems.
    /// </summary>
    public async Task<DatasetImportResult> QueueImportAsync(string id, string name, string preset, string folder, IReadOnlyList<string> saved,
        IReadOnlyList<string> errors)
    {
        var isManifest = ManifestVqaSource.FindManifest(workspace.Resolve(folder)) is not null;
        var source = isManifest ? DatasetSourceKinds.Manifest : DatasetSourceKinds.Parquet;
        if (!isManifest && !saved.Any(f => f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)))
        {
            // Nothing will read these files: do not leave them in the workspace.
            Directory.Delete(workspace.Resolve($"datasets/{id}"), recursive: true);
            return DatasetImportResult.Invalid("files", ["Upload parquet shards, or images with a manifest.jsonl or manifest.csv.", .. errors], "Nothing to import.");
        }

        var entry = DatasetEntries.New(id, name, source, folder, preset, null, time.GetUtcNow());
        entry = entry with
        {
            Summary = entry.Summary with
            {
                Problems = [.. errors.Select(e => new ImportProblem(null, UploadStore.ProblemSource, e))],
                ProblemCount = errors.Count,
            },
        };
        await registry.SaveAsync(entry);
        if (!await queue.TryEnqueueAsync(new ImportJob(id)))
        {
            return DatasetImportResult.QueueFull;
        }

        return DatasetImportResult.Started(new ImportAccepted(id, DatasetStatuses.Importing, DatasetEntries.Location(id)));
    }
}
