using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator.Azure;

/// <summary>
/// Azure deletes fine-tuned deployments on its own: a Developer one after its fixed lifetime (fine-tune-test: 24 hours,
/// whatever its use), any of them after days without a chat completion (fine-tune include: 15 days). The emulator
/// does the same on its clock, shortened here to seconds.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public class DeploymentLifetimeTests(DeploymentLifetimeTests.ShortLivedDeploymentsServer server) : IClassFixture<DeploymentLifetimeTests.ShortLivedDeploymentsServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Developer deployments live 3 s, idle fine-tuned ones 4 s.</summary>
    public sealed class ShortLivedDeploymentsServer : AzureEmulatorServer
    {
        public static readonly TimeSpan DeveloperLifetime = TimeSpan.FromSeconds(3);
        public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(4);

        protected override IEnumerable<string> Arguments =>
            [.. base.Arguments, $"--Emulator:Azure:DeveloperTierLifetime={DeveloperLifetime}", $"--Emulator:Azure:IdleDeploymentLifetime={IdleLifetime}"];
    }

    [Fact]
    public async Task ADeveloperDeploymentIsGoneAfterItsLifetimeEvenWhileUsed()
    {
        using var client = server.CreateAzureClient();
        using var management = server.CreateManagementClient();
        var model = await TrainGpt41Async(client);
        await DeployAsync(management, "dev-lifetime", "DeveloperTier", model);
        var deployedAt = DateTime.UtcNow;

        // In use all along, and still gone once its lifetime is over.
        var gone = await Polling.WaitAsync(async () =>
        {
            using var chat = await client.PostAsJsonAsync("chat/completions", Chat("dev-lifetime"));
            return chat.StatusCode;
        }, status => status == HttpStatusCode.NotFound, Timeout, TimeSpan.FromMilliseconds(250));
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.True(DateTime.UtcNow - deployedAt >= ShortLivedDeploymentsServer.DeveloperLifetime - TimeSpan.FromMilliseconds(500), "The Developer deployment went before its lifetime.");
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync(Path("dev-lifetime"))).StatusCode);
    }

    [Fact]
    public async Task AnIdleFineTunedDeploymentIsDeletedWhileAUsedOneStays()
    {
        using var client = server.CreateAzureClient();
        using var management = server.CreateManagementClient();
        var model = await TrainGpt41Async(client);
        await DeployAsync(management, "ft-used", "GlobalStandard", model);
        await DeployAsync(management, "ft-idle", "GlobalStandard", model);

        // Keep one busy until the other, untouched, is deleted for idleness.
        var idle = await Polling.WaitAsync(async () =>
        {
            (await client.PostAsJsonAsync("chat/completions", Chat("ft-used"))).EnsureSuccessStatusCode();
            return (await management.GetAsync(Path("ft-idle"))).StatusCode;
        }, status => status == HttpStatusCode.NotFound, Timeout, TimeSpan.FromMilliseconds(250));
        Assert.Equal(HttpStatusCode.NotFound, idle);
        Assert.Equal("Succeeded", (await TestData.GetJsonAsync(management, Path("ft-used"))).GetProperty("properties").GetProperty("provisioningState").GetString());

        // The seeded base deployment never expires.
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync(Path("gpt-4o"))).StatusCode);
    }

    private static string Path(string deployment) => $"{AzureEmulatorServer.AccountPath}/deployments/{deployment}?api-version=2025-07-01-preview";

    private static async Task DeployAsync(HttpClient management, string name, string sku, string model)
    {
        using var put = await management.PutAsJsonAsync(Path(name), new { sku = new { name = sku, capacity = 50 }, properties = new { model = new { format = "OpenAI", name = model, version = "1" } } });
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        await Polling.WaitAsync(() => TestData.GetJsonAsync(management, Path(name)),
            d => d.GetProperty("properties").GetProperty("provisioningState").GetString() == "Succeeded", Timeout, TestData.PollInterval);
    }

    private static async Task<string> TrainGpt41Async(HttpClient client)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("fine-tune"), "purpose" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", TestData.TrainingLines(10)))), "file", "train.jsonl" },
        };
        using var upload = await client.PostAsync("files", form);
        var fileId = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"files/{fileId}"), f => f.GetProperty("status").GetString() == "processed", Timeout, TestData.PollInterval);
        var job = await TestData.PostJsonAsync(client, "fine_tuning/jobs", new { model = "gpt-4.1-2025-04-14", training_file = fileId, trainingType = "developerTier" });
        var done = await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"fine_tuning/jobs/{job.GetProperty("id").GetString()}"),
            j => j.GetProperty("status").GetString() is "succeeded" or "failed", Timeout, TestData.PollInterval);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        return done.GetProperty("fine_tuned_model").GetString()!;
    }

    private static object Chat(string deployment) => new
    {
        model = deployment,
        messages = new object[] { TestData.UserTurn("Question: Who wrote this book?", TestData.Png(16, 16, 3)) },
    };
}
