using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// Deploys fine-tuned models through Resource Manager over REST, as Azure's fine-tuning-deploy article does:
/// <c>PUT {account}/deployments/{name}?api-version=</c> with <c>sku {name, capacity}</c> and
/// <c>properties.model {format: OpenAI, name: the fine-tuned model, version: "1"}</c>, then GET until
/// <c>provisioningState</c> is Succeeded, and DELETE. Signed with a token for the management scope, fetched once and
/// reused until shortly before it expires (with az login, every fetch starts the CLI).
/// </summary>
public sealed class AzureDeploymentClient(HttpClient http, IOptions<ProviderOptions> options, TimeProvider time, ILogger<AzureDeploymentClient> logger)
{
    private readonly AzureTokenCache _tokens = new(AzureCredentials.Create(options.Value.Azure), AzureCredentials.ManagementScope, time);

    private AzureProviderOptions Settings => options.Value.Azure;

    public async Task<AzureDeploymentStatus> CreateAsync(string deployment, string model, string sku, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["sku"] = new JsonObject { ["name"] = sku, ["capacity"] = Settings.DeploymentCapacity },
            ["properties"] = new JsonObject { ["model"] = new JsonObject { ["format"] = "OpenAI", ["name"] = model, ["version"] = "1" } },
        };
        using var request = await RequestAsync(HttpMethod.Put, deployment, sku, cancellationToken);
        request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, cancellationToken);
        return Read(await EnsureAsync(response, cancellationToken));
    }

    /// <summary>The deployment, or null when Resource Manager has none by that name.</summary>
    public async Task<AzureDeploymentStatus?> GetAsync(string deployment, string sku, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Get, deployment, sku, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : Read(await EnsureAsync(response, cancellationToken));
    }

    /// <summary>
    /// Deletes the deployment. Returns true when it is gone (200, 204, or 404: nothing to delete), false when Resource
    /// Manager accepted the deletion to finish later (202): it is Deleting until a GET no longer finds it.
    /// </summary>
    public async Task<bool> DeleteAsync(string deployment, string sku, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Delete, deployment, sku, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            await EnsureAsync(response, cancellationToken);
        }

        var gone = response.StatusCode != System.Net.HttpStatusCode.Accepted;
        logger.LogInformation("{Action} the Azure OpenAI deployment {Deployment}", gone ? "Deleted" : "Deleting", deployment);
        return gone;
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string deployment, string sku, CancellationToken cancellationToken)
    {
        var url = $"{Settings.ManagementEndpoint.TrimEnd('/')}{Settings.AccountPath}/deployments/{Uri.EscapeDataString(deployment)}?api-version={Settings.ApiVersionFor(sku)}";
        var token = await _tokens.GetAsync(cancellationToken);
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<JsonElement> EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body = default;
        try
        {
            body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
        }

        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        string? code = null, message = null;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
            message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
        }

        throw new AzureManagementException((int)response.StatusCode, code, message);
    }

    private static AzureDeploymentStatus Read(JsonElement deployment)
    {
        var properties = deployment.ValueKind == JsonValueKind.Object && deployment.TryGetProperty("properties", out var p) ? p : default;
        string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var sku = deployment.ValueKind == JsonValueKind.Object && deployment.TryGetProperty("sku", out var s) ? s : default;
        var model = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("model", out var m) ? m : default;
        int? capacity = sku.ValueKind == JsonValueKind.Object && sku.TryGetProperty("capacity", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
        return new AzureDeploymentStatus(Text(deployment, "name") ?? "", Text(properties, "provisioningState") ?? "Unknown", Text(sku, "name"), Text(model, "name"), capacity);
    }
}
