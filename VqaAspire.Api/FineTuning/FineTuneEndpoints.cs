using Microsoft.AspNetCore.Http.HttpResults;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Runs;
using VqaAspire.Contracts;

namespace VqaAspire.Api.FineTuning;

public static class FineTuneEndpoints
{
    /// <summary>Maps a run's fine-tune under <c>/api/runs/{id}/fine-tune</c>, and the provider's jobs under <c>/api/fine-tunes</c>.</summary>
    public static IEndpointRouteBuilder MapFineTuneEndpoints(this IEndpointRouteBuilder app)
    {
        var run = app.MapGroup("/api/runs/{id}/fine-tune").WithTags("Fine-tuning");
        run.MapPost("/", StartAsync).WithName("StartFineTune")
            .WithSummary("Upload the prepared files and create the fine-tuning job. Answers 202; follow the run.");
        run.MapGet("/", GetAsync).WithName("GetFineTune").WithSummary("The job's status, checkpoints, trained tokens and cost.");
        run.MapGet("/events", GetEventsAsync).WithName("GetFineTuneEvents").WithSummary("The job's events, oldest first.");
        run.MapGet("/metrics", GetMetricsAsync).WithName("GetFineTuneMetrics").WithSummary("Train and validation loss and accuracy by step.");
        run.MapPost("/cancel", CancelAsync).WithName("CancelFineTune").WithSummary("Cancel the job.");
        run.MapPost("/attach", AttachAsync).WithName("AttachFineTune").WithSummary("Follow an existing job (created outside the app) as this run's fine-tune.");
        run.MapPost("/deployment", SetDeploymentAsync).WithName("SetFineTuneDeployment")
            .WithSummary("Azure OpenAI: the deployment name serving the fine-tuned model.");
        run.MapPost("/deploy", (string id, AzureFineTuneActions actions, CancellationToken cancellationToken) => Answer(actions.DeployAsync(id, cancellationToken), "Cannot deploy"))
            .WithName("DeployFineTune").WithSummary("Azure OpenAI: deploy the fine-tuned model through Resource Manager (billed by the hour until deleted).");
        run.MapDelete("/deployment", (string id, AzureFineTuneActions actions, CancellationToken cancellationToken) => Answer(actions.DeleteDeploymentAsync(id, cancellationToken), "Cannot delete the deployment"))
            .WithName("DeleteFineTuneDeployment").WithSummary("Azure OpenAI: delete the fine-tune's deployment; its hourly charge stops, the model stays.");
        run.MapPost("/checkpoints/{step:int}/deploy", DeployCheckpointAsync).WithName("DeployFineTuneCheckpoint")
            .WithSummary("Azure OpenAI: deploy a checkpoint (it answers only once deployed; billed by the hour until deleted). Evaluations naming its model then ask this deployment.");
        run.MapDelete("/checkpoints/{step:int}/deployment", DeleteCheckpointDeploymentAsync).WithName("DeleteFineTuneCheckpointDeployment")
            .WithSummary("Azure OpenAI: delete a checkpoint's deployment; its hourly charge stops.");
        run.MapPost("/pause", (string id, AzureFineTuneActions actions, CancellationToken cancellationToken) => Answer(actions.PauseAsync(id, pause: true, cancellationToken), "Cannot pause"))
            .WithName("PauseFineTune").WithSummary("Azure OpenAI: pause the job (it must have trained a step).");
        run.MapPost("/resume", (string id, AzureFineTuneActions actions, CancellationToken cancellationToken) => Answer(actions.PauseAsync(id, pause: false, cancellationToken), "Cannot resume"))
            .WithName("ResumeFineTune").WithSummary("Azure OpenAI: resume a paused job.");

        var all = app.MapGroup("/api/runs/{id}/fine-tunes").WithTags("Fine-tuning");
        all.MapPost("/", StartOnProviderAsync).WithName("StartFineTuneOnProvider")
            .WithSummary("Run the fine-tune again on another provider (the same prepared files, a new job there); the earlier fine-tune stays on the run. Answers 202.");
        all.MapGet("/", ListForRunAsync).WithName("ListRunFineTunes").WithSummary("The run's fine-tunes, earlier ones first, each with the provider it is on.");

        app.MapGroup("/api/fine-tunes").WithTags("Fine-tuning")
            .MapGet("/", ListProviderJobsAsync).WithName("ListProviderFineTunes")
            .WithSummary("The provider's recent fine-tuning jobs, including ones created outside the app.");
        return app;
    }

    private static async Task<Results<Accepted<RunView>, ProblemHttpResult>> StartAsync(string id, FineTuneRequest? request, FineTuneService fineTunes)
    {
        request ??= new FineTuneRequest();
        if (FineTuneService.Problem(request) is { } problem)
        {
            return Problems.BadRequest("Invalid fine-tune settings", problem);
        }

        var (run, startProblem, status) = await fineTunes.StartAsync(id, request);
        return startProblem is null
            ? TypedResults.Accepted($"/api/runs/{id}", run)
            : TypedResults.Problem(startProblem, title: "Cannot start the fine-tune", statusCode: status);
    }

    private static async Task<Results<Accepted<RunView>, ProblemHttpResult>> StartOnProviderAsync(string id, FineTuneOnProviderRequest? request, FineTuneService fineTunes)
    {
        var (run, problem, status) = await fineTunes.StartOnProviderAsync(id, request ?? new FineTuneOnProviderRequest(null));
        return problem is null
            ? TypedResults.Accepted($"/api/runs/{id}", run)
            : TypedResults.Problem(problem, title: "Cannot fine-tune on that provider", statusCode: status);
    }

    private static async Task<Results<Ok<IReadOnlyList<FineTuneView>>, ProblemHttpResult>> ListForRunAsync(string id, RunStore runs) =>
        await runs.GetAsync(id) is { } run
            ? TypedResults.Ok<IReadOnlyList<FineTuneView>>([.. run.EarlierFineTunes ?? [], .. run.FineTune is { } current ? [current] : Array.Empty<FineTuneView>()])
            : Problems.NotFound("Run not found", $"There is no run '{id}'.");

    private static async Task<Results<Accepted<Providers.Azure.AzureDeploymentStatus>, ProblemHttpResult>> DeployCheckpointAsync(string id, int step, RunStore runs,
        AzureFineTuneSteps azure, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(id) is not { } run)
        {
            return Problems.NotFound("Run not found", $"There is no run '{id}'.");
        }

        try
        {
            var (deployment, problem, status) = await azure.DeployCheckpointAsync(run, step, cancellationToken);
            return problem is null ? TypedResults.Accepted($"/api/runs/{id}", deployment!) : TypedResults.Problem(problem, title: "Cannot deploy the checkpoint", statusCode: status);
        }
        catch (Providers.Azure.AzureManagementException ex)
        {
            return TypedResults.Problem(ex.Message, title: "Cannot deploy the checkpoint", statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCheckpointDeploymentAsync(string id, int step, RunStore runs, AzureFineTuneSteps azure, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(id) is not { } run)
        {
            return Problems.NotFound("Run not found", $"There is no run '{id}'.");
        }

        try
        {
            await azure.DeleteCheckpointDeploymentAsync(run, step, cancellationToken);
            return TypedResults.NoContent();
        }
        catch (Providers.Azure.AzureManagementException ex)
        {
            return TypedResults.Problem(ex.Message, title: "Cannot delete the checkpoint's deployment", statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<Results<Ok<FineTuneView>, ProblemHttpResult>> GetAsync(string id, RunStore runs) =>
        await runs.GetAsync(id) is { FineTune: { } fineTune }
            ? TypedResults.Ok(fineTune)
            : Problems.NotFound("No fine-tune", $"Run '{id}' does not exist or has no fine-tune.");

    /// <param name="job">An earlier fine-tune's job id (one the run kept when run again elsewhere); none for the current one.</param>
    private static async Task<Results<Ok<IReadOnlyList<FineTuneEvent>>, ProblemHttpResult>> GetEventsAsync(string id, FineTuneStore store, RunStore runs, int? offset, int? limit, string? job) =>
        await UnknownJobAsync(id, job, runs) is { } unknown ? unknown
            : TypedResults.Ok(await store.EventsAsync(id, Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 200, 1, 1000), job));

    /// <param name="job">An earlier fine-tune's job id; none for the current one.</param>
    private static async Task<Results<Ok<IReadOnlyList<FineTunePoint>>, ProblemHttpResult>> GetMetricsAsync(string id, FineTuneStore store, RunStore runs, string? job) =>
        await UnknownJobAsync(id, job, runs) is { } unknown ? unknown : TypedResults.Ok(await store.SeriesAsync(id, job));

    /// <summary>A 404 when <paramref name="job"/> names no earlier fine-tune of the run; null when it does, or names none.</summary>
    private static async Task<ProblemHttpResult?> UnknownJobAsync(string id, string? job, RunStore runs) =>
        job is null || (await runs.GetAsync(id))?.EarlierFineTunes?.Any(f => f.JobId == job) == true ? null
            : Problems.NotFound("No such earlier fine-tune", $"job: run '{id}' kept no earlier fine-tune with the job '{job}' (GET /api/runs/{id}/fine-tunes lists them).");

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> Answer(Task<(RunView? Run, string? Problem, int Status)> action, string title)
    {
        var (run, problem, status) = await action;
        return problem is null ? TypedResults.Ok(run!) : TypedResults.Problem(problem, title: title, statusCode: status);
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> CancelAsync(string id, FineTuneService fineTunes, CancellationToken cancellationToken)
    {
        var (run, problem, status) = await fineTunes.CancelAsync(id, cancellationToken);
        return problem is null ? TypedResults.Ok(run!) : TypedResults.Problem(problem, title: "Cannot cancel", statusCode: status);
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> AttachAsync(string id, AttachJobRequest request, FineTuneService fineTunes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.JobId))
        {
            return Problems.BadRequest("Job id required", "Give the id of the fine-tuning job to follow (ftjob-...).");
        }

        var (run, problem, status) = await fineTunes.AttachAsync(id, request.JobId.Trim(), cancellationToken);
        return problem is null ? TypedResults.Ok(run!) : TypedResults.Problem(problem, title: "Cannot attach", statusCode: status);
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> SetDeploymentAsync(string id, DeploymentRequest request, FineTuneService fineTunes, RunStore runs)
    {
        if (string.IsNullOrWhiteSpace(request.DeploymentName) || request.DeploymentName.Length > 64)
        {
            return Problems.BadRequest("Deployment name required", "Give the Azure OpenAI deployment name (at most 64 characters).");
        }

        if (await runs.GetAsync(id) is not { FineTune.FineTunedModel: not null })
        {
            return Problems.NotFound("No fine-tuned model", $"Run '{id}' has no fine-tuned model to deploy yet.");
        }

        return TypedResults.Ok(await fineTunes.SetDeploymentAsync(id, request.DeploymentName.Trim()));
    }

    private static async Task<Ok<IReadOnlyList<ProviderJobSummary>>> ListProviderJobsAsync(IModelProvider provider, int? limit, CancellationToken cancellationToken)
    {
        var jobs = await provider.ListFineTuneJobsAsync(Math.Clamp(limit ?? 50, 1, 100), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ProviderJobSummary>>([.. jobs.Select(j => new ProviderJobSummary(j.Id, j.Model, j.Status, j.FineTunedModel, j.CreatedAt,
            j.Metadata.GetValueOrDefault(FineTuneService.RunIdMetadataKey)))]);
    }
}
