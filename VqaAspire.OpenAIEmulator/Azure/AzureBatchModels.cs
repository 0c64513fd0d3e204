using System.Text.Json;
using System.Text.Json.Nodes;
using VqaAspire.OpenAIEmulator.Batches;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Azure's batch rules (Azure's batch article): every line names the same deployment, that deployment is a
/// GlobalBatch one, and fine-tuned models are not supported. A batch that passes answers with its deployment's model.
/// </summary>
public sealed class AzureBatchModels(ObjectStore store, AzureDeploymentStore deployments, FileStore files)
{
    private readonly ObjectCollection<AzureBatchModel> _batches = store.Collection<AzureBatchModel>("azure_batches", b => b.BatchId);

    /// <summary>The errors Azure gives for this input file, with the error codes of Azure's batch article; the deployment when none.</summary>
    public async Task<(IReadOnlyList<BatchError> Errors, AzureDeployment? Deployment)> CheckAsync(string inputFileId, CancellationToken cancellationToken)
    {
        if (files.Find(inputFileId) is null)
        {
            return ([], null); // BatchService reports the missing file as for OpenAI.
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = new StreamReader(files.OpenRead(inputFileId)))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                try
                {
                    using var document = JsonDocument.Parse(line);
                    if (document.RootElement.TryGetProperty("body", out var body) && body.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
                    {
                        names.Add(model.GetString()!);
                    }
                }
                catch (JsonException)
                {
                    // BatchService reports the line as invalid_json_line.
                }
            }
        }

        if (names.Count > 1)
        {
            return ([new BatchError("model_mismatch", $"The requests name more than one deployment ({string.Join(", ", names)}); all requests in a batch must use the same deployment.", "model", null)], null);
        }

        var name = names.SingleOrDefault() ?? "";
        if (deployments.Ready(name) is not { } deployment)
        {
            return ([new BatchError("model_not_found", $"The Azure OpenAI model deployment name '{name}' that was specified in the model property of the input file wasn't found.", "model", null)], null);
        }

        if (deployment.IsFineTuned)
        {
            return ([new BatchError("invalid_request", $"The deployment '{name}' serves a fine-tuned model; the Batch API does not support fine-tuned models.", "model", null)], null);
        }

        if (deployment.Sku != "GlobalBatch")
        {
            return ([new BatchError("invalid_request", $"The deployment '{name}' has the sku '{deployment.Sku}'; batch requests need a deployment with the 'GlobalBatch' sku.", "model", null)], null);
        }

        return ([], deployment);
    }

    public void Remember(string batchId, AzureDeployment deployment) => _batches.Save(new AzureBatchModel { BatchId = batchId, Model = deployment.Model });

    /// <summary>The request as the runner must answer it: an Azure batch's deployment name becomes its model; other batches unchanged.</summary>
    public JsonElement Rewrite(string batchId, JsonElement body)
    {
        if (_batches.Find(batchId) is not { } azure || JsonNode.Parse(body.GetRawText()) is not JsonObject node)
        {
            return body;
        }

        node["model"] = azure.Model;
        return JsonSerializer.SerializeToElement(node);
    }
}
