using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

public static class DatasetEndpoints
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
        group.MapPost("/{id}/reimport", ReimportAsync).WithName("ReimportDataset")
            .WithSummary("Imports a dataset again from its source (the sample is drawn afresh); 202 with the id to follow, 409 while it is importing.");
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
        ImportRequest request, DatasetImportService imports) =>
        ToHttpResult(await imports.ImportAsync(request));

    private static async Task<Results<Accepted<ImportAccepted>, ValidationProblem, ProblemHttpResult>> ReimportAsync(
        string id, DatasetRegistry registry, DatasetImportService imports)
    {
        var entry = await registry.GetAsync(id);
        if (entry is null)
        {
            return NotFoundProblem(id);
        }

        return entry.Summary.Status == DatasetStatuses.Importing
            ? TypedResults.Problem(title: "Dataset importing", detail: $"Dataset '{id}' is importing already; wait until it is ready.", statusCode: StatusCodes.Status409Conflict)
            : ToHttpResult(await imports.ReimportAsync(entry));
    }

    private static async Task<Results<Accepted<ImportAccepted>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest http, [FromQuery] string? name, [FromQuery] string? preset, DatasetUploadService uploads, CancellationToken cancellationToken) =>
        ToHttpResult(await uploads.UploadAsync(http, name, preset, cancellationToken));

    private static async Task<Results<Ok<DatasetExamplePage>, ProblemHttpResult, ValidationProblem>> ExamplesAsync(
        string id, DatasetRegistry registry, DatasetSourceResolver resolver, ExamplePageIndex pages, CancellationToken cancellationToken,
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

        // An index built on the split's first page serves every page after it without rescanning from the start.
        var (examples, hasMore) = await pages.PageAsync(entry, resolver.Open(entry), canonical, kindFilter, offset, limit, cancellationToken);
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

    private static Results<Accepted<ImportAccepted>, ValidationProblem, ProblemHttpResult> ToHttpResult(DatasetImportResult result) =>
        result.Accepted is { } accepted ? TypedResults.Accepted(accepted.Location, accepted)
        : result.Errors is { } errors ? TypedResults.ValidationProblem(errors, result.ErrorDetail)
        : TypedResults.Problem(title: "Import queue full", detail: "Too many imports are waiting; try again later.", statusCode: StatusCodes.Status409Conflict);

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static ProblemHttpResult NotFoundProblem(string id) =>
        TypedResults.Problem(title: "Dataset not found", detail: $"There is no dataset '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
