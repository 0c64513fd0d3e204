using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
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
        var sessions = group.MapGroup("/uploads/sessions");
        sessions.MapPost("/", CreateUploadSessionAsync).WithName("CreateUploadSession")
            .WithSummary("Opens an upload sent one file at a time; it keeps what arrived until imported or discarded, so an upload restarts where it stopped.");
        sessions.MapGet("/", async (UploadSessions uploads, CancellationToken cancellationToken) => TypedResults.Ok(await uploads.ListAsync(cancellationToken)))
            .WithName("ListUploadSessions").WithSummary("Open uploads, newest first, with the files each holds.");
        sessions.MapGet("/{id}", GetUploadSessionAsync).WithName("GetUploadSession").WithSummary("One open upload and the files it holds (path and size).");
        sessions.MapPut("/{id}/files", SaveUploadedFileAsync).WithName("UploadSessionFile").DisableAntiforgery()
            .WithSummary("One file of an open upload, as the raw body (?path= its name, a folder's relative path kept); the same path and content sent again is kept once.");
        sessions.MapPost("/{id}/import", ImportUploadSessionAsync).WithName("ImportUploadSession")
            .WithSummary("Imports an open upload's files as a new dataset (its id is the upload's); 202 with the id to follow.");
        sessions.MapDelete("/{id}", (string id, UploadSessions uploads) => UploadSessions.IsValidId(id) && uploads.Discard(id)
                ? Results.NoContent() : Results.Problem(title: "Upload not found", detail: $"There is no open upload '{id}'.", statusCode: StatusCodes.Status404NotFound))
            .WithName("DiscardUploadSession").WithSummary("Discards an open upload and its files.");
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

    private static async Task<Results<Created<UploadSessionView>, ValidationProblem>> CreateUploadSessionAsync(
        UploadSessionRequest request, UploadSessions uploads, CancellationToken cancellationToken)
    {
        if (DatasetEntries.Preset(request.Preset) is not { } preset)
        {
            return Invalid("preset", DatasetEntries.UnknownPresetMessage);
        }

        var session = await uploads.CreateAsync(request.Name, preset, cancellationToken);
        return TypedResults.Created($"/api/datasets/uploads/sessions/{session.Id}", session);
    }

    private static async Task<Results<Ok<UploadSessionView>, ProblemHttpResult>> GetUploadSessionAsync(string id, UploadSessions uploads, CancellationToken cancellationToken) =>
        await uploads.GetAsync(id, cancellationToken) is { } session ? TypedResults.Ok(session) : UploadNotFound(id);

    private static async Task<Results<Ok<UploadedFileResult>, ProblemHttpResult>> SaveUploadedFileAsync(
        string id, [FromQuery] string? path, HttpRequest http, UploadSessions uploads, IOptions<DatasetOptions> options, CancellationToken cancellationToken)
    {
        if (await uploads.GetAsync(id, cancellationToken) is null)
        {
            return UploadNotFound(id);
        }

        var limit = options.Value.MaxUploadBytes;
        if (http.ContentLength > limit)
        {
            return TypedResults.Problem(title: "File refused", detail: $"'{path}' is {http.ContentLength:N0} bytes; the limit is {limit:N0}.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        // One file may be a shard of hundreds of MB: raise the server's body limit for this request alone.
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        var (saved, problem) = await uploads.SaveFileAsync(id, path, http.Body, cancellationToken);
        return saved is not null ? TypedResults.Ok(saved)
            : TypedResults.Problem(title: "File refused", detail: problem, statusCode: StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<Accepted<ImportAccepted>, ValidationProblem, ProblemHttpResult>> ImportUploadSessionAsync(
        string id, UploadSessions uploads, CancellationToken cancellationToken) =>
        await uploads.GetAsync(id, cancellationToken) is null ? UploadNotFound(id) : ToHttpResult(await uploads.ImportAsync(id, cancellationToken));

    private static ProblemHttpResult UploadNotFound(string id) =>
        TypedResults.Problem(title: "Upload not found", detail: $"There is no open upload '{id}'.", statusCode: StatusCodes.Status404NotFound);

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
