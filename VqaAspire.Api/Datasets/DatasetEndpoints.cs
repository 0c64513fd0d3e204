using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets.HuggingFace;
using VqaAspire.Api.Datasets.Manifest;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

public static partial class DatasetEndpoints
{
    public const int MaxPageSize = 200;

    /// <summary>Maps <c>/api/datasets</c>: import, upload, list, one dataset, its examples and images.</summary>
    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datasets").WithTags("Datasets");
        group.MapGet("/", ListAsync).WithName("ListDatasets")
            .WithSummary("Every dataset with its status, progress and per-split stats (images, QA pairs, question kinds, image sizes).");
        group.MapGet("/presets", () => TypedResults.Ok(ColumnPresets.Names.Order().ToList())).WithName("ListDatasetPresets")
            .WithSummary("Column presets a parquet import can use.");
        group.MapPost("/", ImportAsync).WithName("ImportDataset")
            .WithSummary("Starts importing a dataset (parquet folder or glob, Hugging Face id, manifest folder, or the synthetic sample); 202 with the id to follow.");
        group.MapPost("/uploads", UploadAsync).WithName("UploadDataset").DisableAntiforgery()
            .WithSummary("Uploads parquet shards or a folder of images with a manifest (multipart) into the workspace and imports them; 202 with the id to follow.");
        group.MapGet("/{id}", GetAsync).WithName("GetDataset").WithSummary("One dataset: status, progress, stats and import problems.");
        group.MapGet("/{id}/examples", ExamplesAsync).WithName("ListDatasetExamples")
            .WithSummary("A page of question/answer examples of a split, optionally of one question kind, with image URLs.");
        group.MapGet("/{id}/images/{imageId}", ImageAsync).WithName("GetDatasetImage").WithSummary("The source image bytes of one record.");
        return app;
    }

    private static async Task<Ok<List<DatasetSummary>>> ListAsync(DatasetRegistry registry) =>
        TypedResults.Ok((await registry.ListAsync()).Select(e => e.Summary).ToList());

    private static async Task<Results<Ok<DatasetSummary>, ProblemHttpResult>> GetAsync(string id, DatasetRegistry registry) =>
        await registry.GetAsync(id) is { } entry ? TypedResults.Ok(entry.Summary) : NotFoundProblem(id);

    private static async Task<Results<Accepted<ImportAccepted>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        ImportRequest request, DatasetRegistry registry, DatasetImportQueue queue, WorkspaceStorage workspace, TimeProvider time)
    {
        var source = request.Source?.Trim().ToLowerInvariant() ?? "";
        if (!DatasetSourceKinds.All.Contains(source))
        {
            return Invalid("source", $"Source must be one of {string.Join(", ", DatasetSourceKinds.All)}.");
        }

        var preset = string.IsNullOrWhiteSpace(request.Preset) ? ColumnPresets.OcrVqa : request.Preset.Trim().ToLowerInvariant();
        if (!ColumnPresets.Names.Contains(preset, StringComparer.OrdinalIgnoreCase))
        {
            return Invalid("preset", $"Preset must be one of {string.Join(", ", ColumnPresets.Names)}.");
        }

        var now = time.GetUtcNow();
        DatasetEntry entry;
        switch (source)
        {
            case DatasetSourceKinds.Sample:
            {
                var sample = request.Sample ?? new SampleOptions();
                if (sample.Train is < 0 or > 20_000 || sample.Validation is < 0 or > 20_000 || sample.Test is < 0 or > 20_000
                    || sample.Train + sample.Validation + sample.Test == 0)
                {
                    return Invalid("sample", "Each split takes 0 to 20,000 images, and at least one image in all.");
                }

                var id = sample == new SampleOptions()
                    ? SampleDatasetGenerator.DatasetId
                    : $"sample-s{sample.Seed}-{sample.Train}-{sample.Validation}-{sample.Test}";
                entry = DatasetStartup.NewSampleEntry(id, sample, now);
                if (!string.IsNullOrWhiteSpace(request.Name))
                {
                    entry = entry with { Summary = entry.Summary with { Name = request.Name.Trim() } };
                }

                break;
            }

            case DatasetSourceKinds.HuggingFace:
            {
                var repo = request.Location?.Trim();
                if (!HuggingFaceDownloader.IsValidId(repo))
                {
                    return Invalid("location", "Give the Hugging Face dataset id as owner/name, e.g. howard-hou/OCR-VQA.");
                }

                var id = NewId(repo!);
                entry = NewEntry(id, request.Name?.Trim() ?? repo!, source, $"datasets/{id}", preset, request.Columns, now) with { HuggingFaceId = repo };
                break;
            }

            default:
            {
                var location = request.Location?.Trim().Replace('\\', '/') ?? "";
                if (location.Length == 0)
                {
                    return Invalid("location", "Give the workspace-relative folder (or, for parquet, a glob like data/train-*.parquet).");
                }

                string full;
                try
                {
                    full = workspace.Resolve(location);
                }
                catch (WorkspacePathException ex)
                {
                    return Invalid("location", ex.Message);
                }

                var isGlob = Path.GetFileName(full).IndexOfAny(['*', '?']) >= 0;
                var exists = source == DatasetSourceKinds.Manifest
                    ? Directory.Exists(full) && ManifestVqaSource.FindManifest(full) is not null
                    : Directory.Exists(full) || (isGlob && Directory.Exists(Path.GetDirectoryName(full)));
                if (!exists)
                {
                    return Invalid("location", source == DatasetSourceKinds.Manifest
                        ? $"'{location}' is not a workspace folder with a manifest ({string.Join(" or ", ManifestVqaSource.ManifestNames)})."
                        : $"'{location}' is not a workspace folder (or a glob in one).");
                }

                var id = NewId(request.Name ?? Path.GetFileName(location.TrimEnd('/', '*')));
                entry = NewEntry(id, request.Name?.Trim() ?? location, source, location, preset, request.Columns, now);
                break;
            }
        }

        if (!await registry.TryCreateAsync(entry))
        {
            var existing = (await registry.GetAsync(entry.Summary.Id))!;
            if (existing.Summary.Status != DatasetStatuses.Failed)
            {
                // The sample (same seed and sizes) is imported once; asking again points at it.
                return TypedResults.Accepted($"/api/datasets/{existing.Summary.Id}",
                    new ImportAccepted(existing.Summary.Id, existing.Summary.Status, $"/api/datasets/{existing.Summary.Id}"));
            }

            await registry.SaveAsync(entry);
        }

        if (!queue.TryEnqueue(new ImportJob(entry.Summary.Id, request.HuggingFaceToken, entry.Sample)))
        {
            await registry.UpdateAsync(entry.Summary.Id, s => s with { Status = DatasetStatuses.Failed, Error = "The import queue is full; try again later." });
            return TypedResults.Problem(title: "Import queue full", detail: "Too many imports are waiting; try again later.", statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Accepted($"/api/datasets/{entry.Summary.Id}",
            new ImportAccepted(entry.Summary.Id, DatasetStatuses.Importing, $"/api/datasets/{entry.Summary.Id}"));
    }

    private static async Task<Results<Accepted<ImportAccepted>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest http, [FromQuery] string? name, [FromQuery] string? preset, DatasetRegistry registry, DatasetImportQueue queue,
        WorkspaceStorage workspace, IOptions<DatasetOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!http.HasFormContentType)
        {
            return Invalid("files", "Send the files as multipart/form-data.");
        }

        var limit = options.Value.MaxUploadBytes;
        if (http.ContentLength > limit)
        {
            return Invalid("files", $"The upload is {http.ContentLength:N0} bytes; the limit is {limit:N0}.");
        }

        preset = string.IsNullOrWhiteSpace(preset) ? ColumnPresets.OcrVqa : preset.Trim().ToLowerInvariant();
        if (!ColumnPresets.Names.Contains(preset, StringComparer.OrdinalIgnoreCase))
        {
            return Invalid("preset", $"Preset must be one of {string.Join(", ", ColumnPresets.Names)}.");
        }

        // Only this endpoint takes large bodies: raise the server's and the form reader's limits for this request alone.
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        http.HttpContext.Features.Set<IFormFeature>(new FormFeature(http, new FormOptions { MultipartBodyLengthLimit = limit }));
        IFormFileCollection files;
        try
        {
            files = (await http.ReadFormAsync(cancellationToken)).Files;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Invalid("files", $"The multipart body could not be read: {ex.Message}");
        }

        if (files.Count == 0)
        {
            return Invalid("files", "The request carries no file.");
        }

        if (files.Sum(f => f.Length) > limit)
        {
            return Invalid("files", $"The files add up to {files.Sum(f => f.Length):N0} bytes; the limit is {limit:N0}.");
        }

        var id = NewId(name ?? Path.GetFileNameWithoutExtension(files[0].FileName));
        var (saved, errors) = await UploadStore.SaveAsync(files, workspace, $"datasets/{id}/files", cancellationToken);
        if (saved.Count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["files"] = [.. errors] }, "No uploaded file was accepted.");
        }

        var folder = workspace.Resolve($"datasets/{id}/files");
        var isManifest = ManifestVqaSource.FindManifest(folder) is not null;
        var source = isManifest ? DatasetSourceKinds.Manifest : DatasetSourceKinds.Parquet;
        if (!isManifest && !saved.Any(f => f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)))
        {
            // Nothing will read these files: do not leave them in the workspace.
            Directory.Delete(workspace.Resolve($"datasets/{id}"), recursive: true);
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["files"] = ["Upload parquet shards, or images with a manifest.jsonl or manifest.csv.", .. errors] },
                "Nothing to import.");
        }

        var entry = NewEntry(id, name?.Trim() ?? files[0].FileName, source, $"datasets/{id}/files", preset, null, time.GetUtcNow());
        entry = entry with
        {
            Summary = entry.Summary with
            {
                Problems = [.. errors.Select(e => new ImportProblem(null, UploadStore.ProblemSource, e))],
                ProblemCount = errors.Count,
            },
        };
        await registry.SaveAsync(entry);
        if (!queue.TryEnqueue(new ImportJob(id)))
        {
            return TypedResults.Problem(title: "Import queue full", detail: "Too many imports are waiting; try again later.", statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Accepted($"/api/datasets/{id}", new ImportAccepted(id, DatasetStatuses.Importing, $"/api/datasets/{id}"));
    }

    private static async Task<Results<Ok<DatasetExamplePage>, ProblemHttpResult, ValidationProblem>> ExamplesAsync(
        string id, DatasetRegistry registry, DatasetSourceResolver resolver, CancellationToken cancellationToken,
        string? split = null, string? kind = null, int offset = 0, int limit = 20)
    {
        var canonical = split is null ? VqaSplits.Train : SplitNames.Normalize(split);
        if (canonical is null)
        {
            return Invalid("split", "Split must be train, validation or test.");
        }

        QuestionKind? kindFilter = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!Enum.TryParse<QuestionKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Invalid("kind", $"Kind must be one of {string.Join(", ", Enum.GetNames<QuestionKind>())}.");
            }

            kindFilter = parsed;
        }

        if (offset < 0 || limit is < 1 or > MaxPageSize)
        {
            return Invalid("limit", $"Offset must be 0 or more and limit 1 to {MaxPageSize}.");
        }

        var entry = await registry.GetAsync(id);
        if (entry is null)
        {
            return NotFoundProblem(id);
        }

        if (entry.Summary.Status != DatasetStatuses.Ready)
        {
            return TypedResults.Problem(title: "Dataset not ready", detail: $"Dataset '{id}' is {entry.Summary.Status}.", statusCode: StatusCodes.Status409Conflict);
        }

        var source = resolver.Open(entry);
        var examples = new List<DatasetExample>();
        var index = 0;
        var hasMore = false;
        await foreach (var scanned in source.ScanAsync(canonical, new ScanOptions(WithImages: false), cancellationToken))
        {
            var record = scanned.Record;
            if (record.Problem is not null)
            {
                continue;
            }

            foreach (var question in record.Questions)
            {
                if (kindFilter is { } k && question.Kind != k)
                {
                    continue;
                }

                if (index++ < offset)
                {
                    continue;
                }

                if (examples.Count == limit)
                {
                    hasMore = true;
                    break;
                }

                examples.Add(new DatasetExample(record.ImageId, canonical, question.Text, question.Answer, question.Kind.ToString(),
                    $"/api/datasets/{Uri.EscapeDataString(id)}/images/{Uri.EscapeDataString(record.ImageId)}?split={canonical}", record.Metadata));
            }

            if (hasMore)
            {
                break;
            }
        }

        return TypedResults.Ok(new DatasetExamplePage(id, canonical, kindFilter?.ToString(), offset, limit, hasMore, examples));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult, ValidationProblem>> ImageAsync(
        string id, string imageId, DatasetRegistry registry, DatasetSourceResolver resolver, CancellationToken cancellationToken, string? split = null)
    {
        var splits = split is null ? VqaSplits.All : SplitNames.Normalize(split) is { } s ? [s] : null;
        if (splits is null)
        {
            return Invalid("split", "Split must be train, validation or test.");
        }

        var entry = await registry.GetAsync(id);
        if (entry is null || entry.Summary.Status != DatasetStatuses.Ready)
        {
            return NotFoundProblem(id);
        }

        var source = resolver.Open(entry);
        foreach (var candidate in splits)
        {
            await foreach (var record in source.ReadAsync(candidate, new HashSet<string> { imageId }, cancellationToken))
            {
                if (record.ImageBytes is { Length: > 0 } bytes && ImageHeaders.SniffContentType(bytes) is { } contentType)
                {
                    return TypedResults.File(bytes, contentType);
                }

                return TypedResults.Problem(title: "Image unreadable", detail: record.Problem ?? "The record has no image.",
                    statusCode: StatusCodes.Status404NotFound);
            }
        }

        return TypedResults.Problem(title: "Image not found", detail: $"Dataset '{id}' has no image '{imageId}'.", statusCode: StatusCodes.Status404NotFound);
    }

    private static DatasetEntry NewEntry(string id, string name, string source, string location, string preset, ColumnOverrides? columns, DateTimeOffset now) =>
        new(new DatasetSummary(id, name, source, location, preset, DatasetStatuses.Importing, 0, "Queued", null, now, null, [], 0, []), columns);

    /// <summary>A readable, unique id: a slug of the name and a short random suffix.</summary>
    private static string NewId(string name)
    {
        var slug = SlugPattern().Replace(name.ToLowerInvariant(), "-").Trim('-');
        slug = slug.Length == 0 ? "dataset" : slug.Length > 40 ? slug[..40].TrimEnd('-') : slug;
        return $"{slug}-{Guid.NewGuid().ToString("N")[..6]}";
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugPattern();

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static ProblemHttpResult NotFoundProblem(string id) =>
        TypedResults.Problem(title: "Dataset not found", detail: $"There is no dataset '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
