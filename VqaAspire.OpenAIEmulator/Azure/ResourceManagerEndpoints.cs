using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using VqaAspire.OpenAIEmulator.Chat;
using VqaAspire.OpenAIEmulator.FineTuning;
using VqaAspire.OpenAIEmulator.Models;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Resource Manager's deployments API for the one emulated account, as Azure's fine-tuning-deploy article uses it:
/// <c>PUT/GET/DELETE .../providers/Microsoft.CognitiveServices/accounts/{account}/deployments/{name}?api-version=...</c>
/// with <c>{"sku": {"name", "capacity"}, "properties": {"model": {"format": "OpenAI", "name", "version"}}}</c>.
/// </summary>
public static partial class ResourceManagerEndpoints
{
    public const string AccountRoute = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.CognitiveServices/accounts/{account}";

    public static WebApplication MapResourceManagerEndpoints(this WebApplication app)
    {
        var account = app.MapGroup(AccountRoute).AddEndpointFilter<ResourceManagerFilter>();
        account.MapGet("/deployments", (AzureDeploymentStore store) =>
            Results.Json(new { value = store.All.Select(d => store.View(d)).ToList() }, AzureErrors.Json)).WithName("AzureListDeployments");
        account.MapGet("/deployments/{deployment}", (string deployment, AzureDeploymentStore store) =>
            store.Find(deployment) is { } found ? Results.Json(store.View(found), AzureErrors.Json) : NotFound(deployment)).WithName("AzureGetDeployment");
        account.MapPut("/deployments/{deployment}", PutAsync).WithName("AzureCreateOrUpdateDeployment");
        account.MapDelete("/deployments/{deployment}", (string deployment, AzureDeploymentStore store) =>
            // The REST specs' Deployments_Delete: 202 while the deletion goes on (the deployment is Deleting), 204 when there was nothing to delete.
            store.Delete(deployment) ? Results.Accepted() : Results.NoContent()).WithName("AzureDeleteDeployment");
        account.AddEndpointFilter(async (context, next) =>
        {
            // One account: any other subscription, group or account is not found, as Resource Manager says it.
            var azure = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<EmulatorOptions>>().CurrentValue.Azure;
            var values = context.HttpContext.Request.RouteValues;
            if (!string.Equals(values["subscriptionId"]?.ToString(), azure.SubscriptionId, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(values["resourceGroup"]?.ToString(), azure.ResourceGroup, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(values["account"]?.ToString(), azure.Account, StringComparison.OrdinalIgnoreCase))
            {
                return AzureErrors.Result(StatusCodes.Status404NotFound, "ResourceNotFound",
                    $"The Resource 'Microsoft.CognitiveServices/accounts/{values["account"]}' under resource group '{values["resourceGroup"]}' was not found.");
            }

            return await next(context);
        });
        return app;
    }

    private static async Task<IResult> PutAsync(string deployment, HttpRequest request, AzureDeploymentStore store, ModelCatalog catalog, KnowledgeStore knowledge,
        FineTuningService jobs, CancellationToken cancellationToken)
    {
        if (!DeploymentName().IsMatch(deployment))
        {
            return Invalid($"The deployment name '{deployment}' is invalid: 2 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Invalid("The request content was invalid and could not be deserialized.");
        }

        if (!body.TryGetProperty("sku", out var sku) || sku.ValueKind != JsonValueKind.Object || Text(sku, "name") is not { } skuName)
        {
            return Invalid("The deployment needs a sku: {\"name\": \"Standard\", \"capacity\": 1}.");
        }

        var knownSku = AzureDeploymentStore.Skus.FirstOrDefault(s => string.Equals(s, skuName, StringComparison.OrdinalIgnoreCase));
        if (knownSku is null)
        {
            return Invalid($"sku.name '{skuName}' is not supported. Supported: {string.Join(", ", AzureDeploymentStore.Skus)}"
                + (string.Equals(skuName, "Developer", StringComparison.OrdinalIgnoreCase) ? $" (a Developer deployment is '{AzureDeploymentStore.DeveloperTier}')." : "."));
        }

        var capacity = sku.TryGetProperty("capacity", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : 1;
        if (capacity < 1)
        {
            return Invalid($"The sku capacity must be at least 1, got {capacity}.");
        }

        if (!body.TryGetProperty("properties", out var properties) || !properties.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            return Invalid("The deployment needs properties.model: {\"format\": \"OpenAI\", \"name\": ..., \"version\": ...}.");
        }

        if (Text(model, "format") is not "OpenAI")
        {
            return Invalid($"properties.model.format must be 'OpenAI', got '{Text(model, "format")}'.");
        }

        // fine-tuning-deploy: a checkpoint deploys by its id (ftchkpt-...), which names the checkpoint's model.
        var name = CheckpointModel(jobs, Text(model, "name") ?? "");
        var isFineTuned = knowledge.Find(name) is not null;
        if (!isFineTuned && catalog.Find(name) is null)
        {
            return AzureErrors.Result(StatusCodes.Status400BadRequest, "DeploymentModelNotSupported",
                $"The model '{name}' is not supported or not found in this account. Fine-tuned models deploy by their fine_tuned_model name.");
        }

        // Azure's fine-tuning-deploy article: fine-tuned models deploy as Standard, Global Standard, Developer (or provisioned).
        if (isFineTuned && knownSku is "GlobalBatch" or "DataZoneStandard")
        {
            return AzureErrors.Result(StatusCodes.Status400BadRequest, "DeploymentModelNotSupported",
                $"A fine-tuned model cannot be deployed with the '{knownSku}' sku; use Standard, GlobalStandard or {AzureDeploymentStore.DeveloperTier}.");
        }

        // fine-tuning-deploy: Developer deployments take fine-tuned GPT-4.1, GPT-4.1-mini and GPT-4.1-nano models only.
        if (knownSku == AzureDeploymentStore.DeveloperTier && !(isFineTuned && FineTunedNames.BaseOf(name).StartsWith("gpt-4.1", StringComparison.Ordinal)))
        {
            return AzureErrors.Result(StatusCodes.Status400BadRequest, "DeploymentModelNotSupported",
                $"sku.name '{AzureDeploymentStore.DeveloperTier}' takes fine-tuned GPT-4.1 models (gpt-4.1, -mini, -nano) only, not '{name}'.");
        }

        var (saved, created) = store.Save(deployment, knownSku, capacity, name, Text(model, "version") ?? "1", isFineTuned);
        // The REST specs' Deployments_CreateOrUpdate: 201 with provisioningState Accepted for a new one; 200 for an update.
        return created
            ? Results.Json(store.View(saved, "Accepted"), AzureErrors.Json, statusCode: StatusCodes.Status201Created)
            : Results.Json(store.View(saved), AzureErrors.Json, statusCode: StatusCodes.Status200OK);
    }

    /// <summary>The model a checkpoint id names (its <c>fine_tuned_model_checkpoint</c>); any other name unchanged.</summary>
    private static string CheckpointModel(FineTuningService jobs, string name) =>
        jobs.All.SelectMany(j => j.Checkpoints).FirstOrDefault(c => c.Id == name)?.FineTunedModelCheckpoint ?? name;

    private static IResult Invalid(string message) => AzureErrors.Result(StatusCodes.Status400BadRequest, "InvalidResourceProperties", message);

    private static IResult NotFound(string deployment) =>
        AzureErrors.Result(StatusCodes.Status404NotFound, "DeploymentNotFound", $"Deployment '{deployment}' could not be found.");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")]
    private static partial Regex DeploymentName();
}
