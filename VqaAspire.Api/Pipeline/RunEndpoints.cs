using Microsoft.AspNetCore.Http.HttpResults;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Pipeline;

public static class RunEndpoints
{
    /// <summary>The files a run's preparation writes, by the names they are downloaded as.</summary>
    private static readonly HashSet<string> PreparedFiles =
    [
        .. VqaSplits.All.Select(s => $"{s}.jsonl"),
        .. VqaSplits.All.Select(s => $"{s}.examples.jsonl"),
    ];

    /// <summary>Maps <c>/api/runs</c>: start a run by preparing a dataset, follow it, read its validation and estimate, download its JSONL.</summary>
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Runs");

        runs.MapPost("/", StartAsync).WithName("StartRun")
            .WithSummary("Start a run: prepare a dataset into validated chat JSONL. Answers 202 with the run to follow.");
        runs.MapGet("/", ListAsync).WithName("ListRuns").WithSummary("Runs, newest first.");
        runs.MapGet("/{id}", GetAsync).WithName("GetRun").WithSummary("A run with each step's status and progress.");
        runs.MapGet("/{id}/validation", GetValidationAsync).WithName("GetRunValidation")
            .WithSummary("Pre-flight validation of each prepared JSONL, with per-line errors.");
        runs.MapGet("/{id}/estimate", GetEstimateAsync).WithName("GetRunEstimate")
            .WithSummary("Training tokens and cost before anything is spent.");
        runs.MapGet("/{id}/files/{name}", DownloadAsync).WithName("DownloadRunFile")
            .WithSummary("Download a prepared file: {split}.jsonl or {split}.examples.jsonl.");
        return app;
    }

    private static async Task<Results<Accepted<RunView>, ValidationProblem, ProblemHttpResult>> StartAsync(
        PrepareRequest request, RunStore store, PreparationQueue queue, IDatasetSourceResolver datasets, CancellationToken cancellationToken)
    {
        if (DatasetPreparer.Problem(request) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["request"] = [problem] });
        }

        if (await datasets.OpenAsync(request.DatasetId, cancellationToken) is null)
        {
            return Problems.NotFound("Dataset not found", $"There is no dataset '{request.DatasetId}'.");
        }

        var run = await store.CreateAsync(request);
        await queue.EnqueueAsync(run.Id, cancellationToken);
        return TypedResults.Accepted($"/api/runs/{run.Id}", run);
    }

    private static async Task<Ok<IReadOnlyList<RunView>>> ListAsync(RunStore store, int? offset, int? limit) =>
        TypedResults.Ok(await store.ListAsync(Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 50, 1, 500)));

    /// <summary>The run; on Azure its deployment is read from Resource Manager again, so one Azure removed shows as Deleted.</summary>
    private static async Task<Results<Ok<RunView>, NotFound>> GetAsync(string id, RunStore store, IAzureDeploymentCheck azure, CancellationToken cancellationToken) =>
        await store.GetAsync(id) is { } run ? TypedResults.Ok(await azure.ReconcileAsync(run, cancellationToken, onRead: true)) : TypedResults.NotFound();

    private static async Task<Results<Ok<IReadOnlyDictionary<string, ValidationReport>>, NotFound, ProblemHttpResult>> GetValidationAsync(string id, RunStore store)
    {
        var run = await store.GetAsync(id);
        if (run is null)
        {
            return TypedResults.NotFound();
        }

        return run.Preparation is { } prepared
            ? TypedResults.Ok<IReadOnlyDictionary<string, ValidationReport>>(prepared.Splits.ToDictionary(s => s.Split, s => s.Validation))
            : NotPrepared(run);
    }

    private static async Task<Results<Ok<TrainingEstimate>, NotFound, ProblemHttpResult>> GetEstimateAsync(string id, RunStore store)
    {
        var run = await store.GetAsync(id);
        if (run is null)
        {
            return TypedResults.NotFound();
        }

        return run.Preparation?.Estimate is { } estimate ? TypedResults.Ok(estimate) : NotPrepared(run);
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult, ValidationProblem>> DownloadAsync(
        string id, string name, RunStore store, WorkspaceStorage workspace)
    {
        // Both name a place in the workspace: a path in either is refused before anything is looked up.
        foreach (var (field, value) in new[] { ("id", id), ("name", name) })
        {
            if (value.Contains("..", StringComparison.Ordinal) || value.IndexOfAny(['/', '\\']) >= 0)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"The {field} is a plain name, not a path."] });
            }
        }

        if (!PreparedFiles.Contains(name))
        {
            return Problems.NotFound("No such file", $"Runs have no file '{name}'; they have {string.Join(", ", PreparedFiles.Order())}.");
        }

        var run = await store.GetAsync(id);
        if (run is null)
        {
            return Problems.NotFound("Run not found", $"There is no run '{id}'.");
        }

        if (run.Preparation is null)
        {
            return NotPrepared(run);
        }

        var path = workspace.Resolve([.. RunPaths.PreparedFolder(id), name]);
        return File.Exists(path)
            ? TypedResults.File(File.OpenRead(path), "application/jsonl", $"{id}-{name}")
            : Problems.NotFound("File missing", $"The run's {name} is no longer in the workspace.");
    }

    private static ProblemHttpResult NotPrepared(RunView run) =>
        TypedResults.Problem($"Run {run.Id} is {run.Prepare.Status.Name()}; this is available once preparation has succeeded.",
            title: "Not prepared yet", statusCode: StatusCodes.Status409Conflict);
}
