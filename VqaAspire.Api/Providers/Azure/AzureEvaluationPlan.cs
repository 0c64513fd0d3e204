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
        if (batch && models.Any(m => m.Name != "base"))
        {
            note = "Azure OpenAI's Batch API does not take fine-tuned models: this evaluation runs synchronously.";
            batch = false;
        }
        else if (batch && string.IsNullOrWhiteSpace(azure.BatchDeployment))
        {
            note = "Azure OpenAI's Batch API needs a GlobalBatch deployment and none is set (Provider:Azure:BatchDeployment): this evaluation runs synchronously.";
            batch = false;
        }

        var baseDeployment = batch ? azure.BatchDeployment : azure.BaseDeployment;
        var mapped = models.Select(m => m.Name == "base" && !string.IsNullOrWhiteSpace(baseDeployment) ? m with { Model = baseDeployment } : m).ToList();
        return (batch || request.Mode != "batch" ? request : request with { Mode = "sync" }, mapped, note);
    }
}
