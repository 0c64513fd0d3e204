using System.Text.Json;
using System.Text.Json.Nodes;
using VqaAspire.OpenAIEmulator.Batches;
using VqaAspire.OpenAIEmulator.Chat;
using VqaAspire.OpenAIEmulator.Faults;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.FineTuning;
using VqaAspire.OpenAIEmulator.Models;
using VqaAspire.OpenAIEmulator.Uploads;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Azure OpenAI's data plane: the v1 route (<c>/openai/v1/...</c>, which the OpenAI SDKs take as they are) and the
/// dated route (<c>/openai/...?api-version=</c>, with <c>/openai/deployments/{deployment}/chat/completions</c>, which
/// Azure's own client classes call). Inference names a deployment, never a model.
/// </summary>
public static class AzureDataPlaneEndpoints
{
    public static WebApplication MapAzureDataPlaneEndpoints(this WebApplication app)
    {
        var surface = app.Services.GetRequiredService<AzureFineTuningSurface>();

        var v1 = app.MapGroup("/openai/v1")
            .AddEndpointFilter<AzureKeyFilter>()
            .AddEndpointFilter<FaultFilter>()
            .AddEndpointFilter<AzureSurfaceFilter>();
        MapSurface(v1, surface, "AzureV1");

        var dated = app.MapGroup("/openai")
            .AddEndpointFilter<AzureKeyFilter>()
            .AddEndpointFilter(RequireApiVersion)
            .AddEndpointFilter<FaultFilter>()
            .AddEndpointFilter<AzureSurfaceFilter>();
        MapSurface(dated, surface, "AzureDated");
        dated.MapPost("/deployments/{deployment}/chat/completions", (string deployment, HttpContext context, ChatCompletionService chat, AzureDeploymentStore deployments, CancellationToken cancellationToken) =>
            CompleteAsync(context, chat, deployments, deployment, cancellationToken)).WithName("AzureDatedDeploymentChat");

        app.Map("/openai/{**path}", (HttpRequest request) =>
            AzureErrors.Result(StatusCodes.Status404NotFound, "404", $"Resource not found ({request.Method} {request.Path})"));
        return app;
    }

    private static void MapSurface(RouteGroupBuilder group, AzureFineTuningSurface surface, string prefix)
    {
        group.MapModelEndpoints(prefix);
        group.MapFileEndpoints(prefix);
        group.MapUploadEndpoints(prefix);
        group.MapFineTuningEndpoints(surface, prefix);
        group.MapBatchEndpoints(prefix, mapCreate: false);
        group.MapPost("/batches", CreateBatchAsync).WithName(prefix + "CreateBatch");
        group.MapPost("/fine_tuning/jobs/{jobId}/pause", (string jobId, FineTuningService jobs) =>
            jobs.Find(jobId) is { Azure: true } ? Results.Ok(surface.Present(jobs.Pause(jobId)!.Snapshot())) : FineTuningEndpoints.NoSuchJob(jobId))
            .WithName(prefix + "PauseFineTuningJob");
        group.MapPost("/fine_tuning/jobs/{jobId}/resume", (string jobId, FineTuningService jobs) =>
            jobs.Find(jobId) is { Azure: true } ? Results.Ok(surface.Present(jobs.Resume(jobId)!.Snapshot())) : FineTuningEndpoints.NoSuchJob(jobId))
            .WithName(prefix + "ResumeFineTuningJob");
        group.MapPost("/chat/completions", (HttpContext context, ChatCompletionService chat, AzureDeploymentStore deployments, CancellationToken cancellationToken) =>
            CompleteAsync(context, chat, deployments, null, cancellationToken)).WithName(prefix + "CreateChatCompletion");
    }

    /// <summary>A chat completion through a deployment: an unknown one, or one still provisioning, is Azure's DeploymentNotFound.</summary>
    private static async Task<IResult> CompleteAsync(HttpContext context, ChatCompletionService chat, AzureDeploymentStore deployments, string? routeDeployment, CancellationToken cancellationToken)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: cancellationToken) as JsonObject
            ?? throw OpenAIRequestException.Invalid("The request body must be a JSON object.", null, "invalidPayload");
        var name = routeDeployment ?? (body["model"] is JsonValue model && model.TryGetValue<string>(out var text) ? text : null)
            ?? throw OpenAIRequestException.Invalid("Missing required parameter: 'model' (the deployment name).", "model", "missing_required_parameter");
        if (deployments.Ready(name) is not { } deployment)
        {
            return AzureErrors.DeploymentNotFound(name);
        }

        if (context.RequestServices.GetRequiredService<FaultInjector>().Settings.FiltersContent(name))
        {
            return AzureErrors.ContentFiltered();
        }

        body["model"] = deployment.Model;
        var request = JsonSerializer.SerializeToElement(body);
        var completion = chat.Complete(request, streamAllowed: true);
        if (!ChatCompletionService.WantsStream(request))
        {
            return Results.Ok(completion);
        }

        var includeUsage = request.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
        await ChatEndpoints.StreamAsync(context.Response, completion, includeUsage, cancellationToken);
        return Results.Empty;
    }

    private static async Task<IResult> CreateBatchAsync(HttpRequest request, BatchService batches, AzureBatchModels models, AzureFileStatus fileStatus, FileStore files,
        CancellationToken cancellationToken)
    {
        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        var inputFileId = body.RootElement.TryGetProperty("input_file_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
        if (files.Find(inputFileId) is not null && fileStatus.Status(inputFileId) is var status and not "processed")
        {
            // Azure's batch article checks the upload's status until it is processed before creating the batch.
            throw OpenAIRequestException.Invalid($"The input file {inputFileId} is not processed yet (status: {status}). Wait until its status is 'processed'.", "input_file_id", "invalidPayload");
        }

        var (errors, deployment) = await models.CheckAsync(inputFileId, cancellationToken);
        var batch = batches.Create(body.RootElement, azure: true, failWith: errors);
        if (deployment is not null)
        {
            models.Remember(batch.Id, deployment);
        }

        return Results.Ok(batch.Snapshot());
    }

    // The dated route needs ?api-version=, as Azure's does.
    private static async ValueTask<object?> RequireApiVersion(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        string.IsNullOrEmpty(context.HttpContext.Request.Query["api-version"])
            ? AzureErrors.Result(StatusCodes.Status404NotFound, "404", "Resource not found")
            : await next(context);
}
