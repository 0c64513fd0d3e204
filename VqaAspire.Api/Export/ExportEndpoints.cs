using Microsoft.AspNetCore.Http.HttpResults;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Export;

public static class ExportEndpoints
{
    /// <summary>Maps <c>/api/runs/{id}/export</c>: a prepared run as a bundle for other trainers.</summary>
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Export");
        runs.MapGet("/{id}/export/open-weights", ExportOpenWeightsAsync).WithName("ExportRunForOpenWeights")
            .WithSummary("A zip for LLaMA-Factory, Axolotl and TRL/Unsloth: images as files, train/validation in each trainer's format, the test split apart, starter LoRA configs for baseModel.");
        return app;
    }

    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult, ValidationProblem>> ExportOpenWeightsAsync(
        string id, string? baseModel, RunStore store, WorkspaceStorage workspace, OpenWeightsExporter exporter, HttpContext context)
    {
        if (id.Contains("..", StringComparison.Ordinal) || id.IndexOfAny(['/', '\\']) >= 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["The id is a plain name, not a path."] });
        }

        var model = string.IsNullOrWhiteSpace(baseModel) ? StarterConfigs.DefaultBaseModel : baseModel.Trim();
        if (StarterConfigs.BaseModelProblem(model) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["baseModel"] = [problem] });
        }

        var run = await store.GetAsync(id);
        if (run is null)
        {
            return Problems.NotFound("Run not found", $"There is no run '{id}'.");
        }

        if (run.Preparation is not { } preparation)
        {
            return TypedResults.Problem($"Run {run.Id} is {run.Prepare.Status.Name()}; it can be exported once preparation has succeeded.",
                title: "Not prepared yet", statusCode: StatusCodes.Status409Conflict);
        }

        // Checked before the first byte: once the zip has started, a missing file can only cut the download short.
        var missing = OpenWeightsExporter.PreparedFiles().Where(f => !File.Exists(workspace.Resolve([.. RunPaths.PreparedFolder(id), f]))).ToList();
        if (missing.Count > 0)
        {
            return Problems.NotFound("Prepared files missing", $"Run {id}'s {string.Join(", ", missing)} are no longer in the workspace; prepare the run again.");
        }

        return TypedResults.Stream(
            stream => exporter.WriteAsync(id, model, preparation.FewShotExampleIds.Count, stream, context.RequestAborted),
            "application/zip", $"{id}-open-weights.zip");
    }
}
