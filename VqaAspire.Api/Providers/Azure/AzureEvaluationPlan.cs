using VqaAspire.Contracts;

namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// An evaluation as Azure OpenAI can run it. Azure answers through deployments, so the base model and the judge are
/// asked by their deployment names; its Batch API needs a GlobalBatch deployment and takes no fine-tuned model
/// (Azure's batch article), so a batch evaluation that cannot run there runs synchronously, saying why.
/// </summary>
public static class AzureEvaluationPlan
{
    /// <summary>The judge OpenAI users name by default; on Azure it becomes the judge deployment.</summary>
    public const string DefaultJudge = "gpt-4o";

    /// <returns>The request and models to run, and a note when batch mode was turned into sync; unchanged when not Azure.</returns>
    public static (EvaluationRequest Request, IReadOnlyList<EvaluationModel> Models, string? Note) Apply(ProviderOptions settings, EvaluationRequest request, IReadOnlyList<EvaluationModel> models)
    {
        if (!settings.IsAzure)
        {
            return (request, models, null);
        }

        var azure = settings.Azure;
        if (request.JudgeModel == DefaultJudge && !string.IsNullOrWhiteSpace(azure.JudgeDeployment))
        {
            request = request with { JudgeModel = azure.JudgeDeployment };
        }

        // Only the default comparison is mapped; models the user named are taken as deployment names.
        if (request.Models is { Count: > 0 })
        {
            return (request, models, null);
        }

        string? note = null;
        var batch = request.Mode == "batch";
        var baseModel = models.FirstOrDefault(m => m.Name == "base")?.Model;
        var gpt41 = baseModel is not null && AzureRules.IsGpt41Family(baseModel);
        if (batch && models.Any(m => m.Name != "base"))
        {
            note = "Azure OpenAI's Batch API does not take fine-tuned models: this evaluation runs synchronously.";
            batch = false;
        }
        else if (batch && gpt41)
        {
            // The GlobalBatch deployment serves gpt-4o: a gpt-4.1 base is never answered by another family.
            note = $"The GlobalBatch deployment (Provider:Azure:BatchDeployment) serves gpt-4o, not {baseModel}: this evaluation runs synchronously.";
            batch = false;
        }
        else if (batch && string.IsNullOrWhiteSpace(azure.BatchDeployment))
        {
            note = "Azure OpenAI's Batch API needs a GlobalBatch deployment and none is set (Provider:Azure:BatchDeployment): this evaluation runs synchronously.";
            batch = false;
        }

        var baseDeployment = batch ? azure.BatchDeployment : azure.BaseDeploymentFor(baseModel).Deployment;
        var mapped = models.Select(m => m.Name == "base" && !string.IsNullOrWhiteSpace(baseDeployment) ? m with { Model = baseDeployment } : m).ToList();
        return (batch || request.Mode != "batch" ? request : request with { Mode = "sync" }, mapped, note);
    }

    /// <summary>Requests a minute each slot is assumed to make when no limit is set: an answer in about a second.</summary>
    public const int AssumedRequestsPerMinutePerSlot = 60;

    /// <summary>
    /// A warning when a sync evaluation is expected to ask a deployment it calls (the base model's, the fine-tune's, a
    /// checkpoint's...) for more tokens a minute than that deployment serves (capacity x 1,000): Azure then answers 429
    /// and the evaluation waits. Models are answered one after another, so each deployment meets the whole rate while its
    /// model answers. Expected: the requests a minute (the limit, else <see cref="AssumedRequestsPerMinutePerSlot"/> per
    /// slot in flight) times the tokens of a prepared example, capped by the evaluation's own token limit. Null when every
    /// deployment fits or none can be told.
    /// </summary>
    /// <param name="tokensPerMinute">Tokens a minute each deployment serves, by name; ones missing cannot be told and are not warned about.</param>
    public static string? CapacityWarning(RunView run, EvaluationRequest request, IReadOnlyList<EvaluationModel> models, IReadOnlyDictionary<string, long> tokensPerMinute)
    {
        if (request.Mode != "sync" || run.Preparation?.Estimate is not { TrainingExamples: > 0 } estimate)
        {
            return null;
        }

        var tokensPerRequest = estimate.BilledTokensPerEpoch / estimate.TrainingExamples;
        var requestsPerMinute = request.RequestsPerMinute > 0 ? request.RequestsPerMinute : (long)request.MaxConcurrency * AssumedRequestsPerMinutePerSlot;
        var expected = requestsPerMinute * tokensPerRequest;
        if (request.TokensPerMinute > 0)
        {
            expected = Math.Min(expected, request.TokensPerMinute);
        }

        // Only deployments of the app's Azure provider: a model with its own endpoint or provider is asked elsewhere.
        var over = models.Where(m => m.Endpoint is null && m.Provider is null).Select(m => m.Model).Distinct()
            .Where(d => tokensPerMinute.TryGetValue(d, out var capacity) && expected > capacity)
            .Select(d => (Name: d, Capacity: tokensPerMinute[d])).ToList();
        if (over.Count == 0)
        {
            return null;
        }

        var lowest = over.Min(d => d.Capacity);
        var deployments = string.Join(", ", over.Select(d => $"{d.Name} serves {d.Capacity:N0} tokens a minute (capacity {d.Capacity / 1000})"));
        return $"The deployment{(over.Count > 1 ? "s" : "")} {deployments}; this evaluation is expected to ask for about {expected:N0} "
            + $"({requestsPerMinute:N0} requests a minute{(request.RequestsPerMinute > 0 ? "" : $" if answers take about a second with {request.MaxConcurrency} in flight")}, about {tokensPerRequest:N0} tokens each). "
            + $"Azure will answer 429 and the evaluation will wait: set tokensPerMinute to {lowest:N0} or raise the deployment's capacity.";
    }
}
