using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using global::Azure.Core;
using Microsoft.Extensions.Options;

namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// Deploys fine-tuned models through Resource Manager over REST, as Azure's fine-tuning-deploy article does:
/// <c>PUT {account}/deployments/{name}?api-version=</c> with <c>sku {name, capacity}</c> and
/// <c>properties.model {format: OpenAI, name: the fine-tuned model, version: "1"}</c>, then GET until
/// <c>provisioningState</c> is Succeeded, and DELETE. Signed with a token for the management scope.
/// </summary>
public sealed class AzureDeploymentClient(HttpClient http, IOptions<ProviderOptions> options, ILogger<AzureDeploymentClient> logger)
{
    private readonly Lazy<TokenCredential> _credential = new(() => AzureCredentials.Create(options.Value.Azure));

    private AzureProviderOptions Settings => options.Value.Azure;

    public async Task<AzureDeploymentStatus> CreateAsync(string deployment, string model, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["sku"] = new JsonObject { ["name"] = Settings.DeploymentSku, ["capacity"] = Settings.DeploymentCapacity },
            ["properties"] = new JsonObject { ["model"] = new JsonObject { ["format"] = "OpenAI", ["name"] = model, ["version"] = "1" } },
        };
        using var request = await RequestAsync(HttpMethod.Put, deployment, cancellationToken);
        request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, cancellationToken);
        return Read(await EnsureAsync(response, cancellationToken));
    }

    /// <summary>The deployment, or null when Resource Manager has none by that name.</summary>
    public async Task<AzureDeploymentStatus?> GetAsync(string deployment, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Get, deployment, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : Read(await EnsureAsync(response, cancellationToken));
    }

    public async Task DeleteAsync(string deployment, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Delete, deployment, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            await EnsureAsync(response, cancellationToken);
        }

        logger.LogInformation("Deleted the Azure OpenAI deployment {Deployment}", deployment);
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string deployment, CancellationToken cancellationToken)
    {
        var url = $"{Settings.ManagementEndpoint.TrimEnd('/')}{Settings.AccountPath}/deployments/{Uri.EscapeDataString(deployment)}?api-version={Settings.ManagementApiVersion}";
        var token = await _credential.Value.GetTokenAsync(new TokenRequestContext([AzureCredentials.ManagementScope]), cancellationToken);
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
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
        return new AzureDeploymentStatus(Text(deployment, "name") ?? "", Text(properties, "provisioningState") ?? "Unknown", Text(sku, "name"), Text(model, "name"));
    }
}
