using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator.Azure;

/// <summary>The emulator's Resource Manager deployments API for its one account.</summary>
[Trait("Category", TestCategories.Unit)]
public class ResourceManagerDeploymentTests(AzureEmulatorServer server) : IClassFixture<AzureEmulatorServer>
{
    private const string Version = "?api-version=2024-10-01";

    [Fact]
    public async Task WithoutABearerTokenOrAnApiVersionResourceManagerRefuses()
    {
        using var anonymous = server.CreateManagementClient(token: null);
        var noToken = await anonymous.GetAsync($"{AzureEmulatorServer.AccountPath}/deployments{Version}");
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal("AuthenticationFailed", await CodeAsync(noToken));

        using var management = server.CreateManagementClient();
        var noVersion = await management.GetAsync($"{AzureEmulatorServer.AccountPath}/deployments");
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Equal("MissingApiVersionParameter", await CodeAsync(noVersion));

        var otherAccount = await management.GetAsync($"{AzureEmulatorServer.AccountPath.Replace(AzureEmulatorServer.Account, "someone-else")}/deployments{Version}");
        Assert.Equal(HttpStatusCode.NotFound, otherAccount.StatusCode);
        Assert.Equal("ResourceNotFound", await CodeAsync(otherAccount));
    }

    [Fact]
    public async Task ADeploymentIsCreatedListedProvisionedAndDeleted()
    {
        using var management = server.CreateManagementClient();
        var path = $"{AzureEmulatorServer.AccountPath}/deployments/judge-4o{Version}";
        using var put = await management.PutAsJsonAsync(path, new { sku = new { name = "GlobalStandard", capacity = 10 }, properties = new { model = new { format = "OpenAI", name = "gpt-4o", version = "2024-08-06" } } });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var created = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Microsoft.CognitiveServices/accounts/deployments", created.GetProperty("type").GetString());
        Assert.Equal(10, created.GetProperty("sku").GetProperty("capacity").GetInt32());
        // The REST specs' Deployments_CreateOrUpdate example: 201 with provisioningState Accepted.
        Assert.Equal("Accepted", created.GetProperty("properties").GetProperty("provisioningState").GetString());

        var list = await TestData.GetJsonAsync(management, $"{AzureEmulatorServer.AccountPath}/deployments{Version}");
        Assert.Contains(list.GetProperty("value").EnumerateArray(), d => d.GetProperty("name").GetString() == "judge-4o");
        await Polling.WaitAsync(() => TestData.GetJsonAsync(management, path),
            d => d.GetProperty("properties").GetProperty("provisioningState").GetString() == "Succeeded", TimeSpan.FromSeconds(20), TestData.PollInterval);

        // Deployments_Delete: 202 while it goes, the deployment Deleting, then not found; deleting nothing is 204.
        Assert.Equal(HttpStatusCode.Accepted, (await management.DeleteAsync(path)).StatusCode);
        Assert.Equal("Deleting", (await TestData.GetJsonAsync(management, path)).GetProperty("properties").GetProperty("provisioningState").GetString());
        var gone = await Polling.WaitAsync(() => management.GetAsync(path), r => r.StatusCode == HttpStatusCode.NotFound, TimeSpan.FromSeconds(20), TestData.PollInterval);
        Assert.Equal("DeploymentNotFound", await CodeAsync(gone));
        Assert.Equal(HttpStatusCode.NoContent, (await management.DeleteAsync(path)).StatusCode);
    }

    [Fact]
    public async Task ADeploymentNeedsAKnownSkuAndModel()
    {
        using var management = server.CreateManagementClient();
        using var badSku = await management.PutAsJsonAsync($"{AzureEmulatorServer.AccountPath}/deployments/x1{Version}",
            new { sku = new { name = "Cheap", capacity = 1 }, properties = new { model = new { format = "OpenAI", name = "gpt-4o", version = "1" } } });
        Assert.Equal(HttpStatusCode.BadRequest, badSku.StatusCode);
        using var badModel = await management.PutAsJsonAsync($"{AzureEmulatorServer.AccountPath}/deployments/x2{Version}",
            new { sku = new { name = "Standard", capacity = 1 }, properties = new { model = new { format = "OpenAI", name = "gpt-2", version = "1" } } });
        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        Assert.Equal("DeploymentModelNotSupported", await CodeAsync(badModel));
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString();
}
