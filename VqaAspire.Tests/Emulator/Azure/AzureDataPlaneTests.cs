using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator.Azure;

/// <summary>Azure OpenAI's rules on the emulator's <c>/openai/v1</c> surface, one test per rule.</summary>
[Trait("Category", TestCategories.Unit)]
public class AzureDataPlaneTests(AzureEmulatorServer server) : IClassFixture<AzureEmulatorServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARequestWithoutKeyOrTokenIsRefusedInAzuresShapeAndTheApiKeyHeaderOrABearerTokenPasses()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl, "openai/v1/") };
        using var refused = await anonymous.GetAsync("models");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("401", error.GetProperty("code").GetString());

        using var keyed = server.CreateAzureClient();
        Assert.True((await keyed.GetAsync("models")).IsSuccessStatusCode);
        using var bearer = server.CreateManagementClient();
        Assert.True((await bearer.GetAsync("openai/v1/models")).IsSuccessStatusCode);
        using var wrongToken = server.CreateManagementClient("not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongToken.GetAsync("openai/v1/models")).StatusCode);
    }

    [Fact]
    public async Task InferenceNamesADeploymentAndAnUnknownOneIsDeploymentNotFound()
    {
        using var client = server.CreateAzureClient();
        var answered = await TestData.PostJsonAsync(client, "chat/completions", Chat("gpt-4o"));
        Assert.Equal("gpt-4o-2024-08-06", answered.GetProperty("model").GetString());

        // A model name that is not a deployment name is not found, as on Azure.
        var missing = await TestData.PostJsonAsync(client, "chat/completions", Chat("gpt-4o-2024-08-06"), 404);
        Assert.Equal("DeploymentNotFound", missing.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnUploadedFileIsPendingThenProcessedAndAJobOnAPendingFileIsRefused()
    {
        using var client = server.CreateAzureClient();
        var fileId = await UploadAsync(client, string.Join("\n", TestData.TrainingLines(10)));
        Assert.Equal("pending", (await TestData.GetJsonAsync(client, $"files/{fileId}")).GetProperty("status").GetString());

        var refused = await TestData.PostJsonAsync(client, "fine_tuning/jobs", Job(fileId), 400);
        Assert.Equal("invalidPayload", refused.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("not processed", refused.GetProperty("error").GetProperty("message").GetString());

        var processed = await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"files/{fileId}"), f => f.GetProperty("status").GetString() == "processed", Timeout, TestData.PollInterval);
        Assert.Equal("processed", processed.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(null, null, "trainingType is required")]
    [InlineData("Regional", null, "trainingType 'Regional' is not supported")]
    // The SDK sample's comment says "Developer"; its code sends developerTier, which the emulator takes (samples over prose).
    [InlineData("Developer", null, "the Developer tier is 'developerTier'")]
    [InlineData("globalstandard", "a-suffix-that-is-longer-than-forty-characters", "at most 40")]
    public async Task AJobNeedsAnAzureTrainingTypeAndASuffixWithinAzuresLimit(string? trainingType, string? suffix, string expected)
    {
        using var client = server.CreateAzureClient();
        var fileId = await UploadProcessedAsync(client);
        var body = Job(fileId, trainingType, suffix);
        var refused = await TestData.PostJsonAsync(client, "fine_tuning/jobs", body, 400);
        Assert.Contains(expected, refused.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("developerTier")]
    [InlineData("GlobalStandard")]
    [InlineData("globalstandard")]
    [InlineData("Standard")]
    public async Task TheTrainingTypesAzuresSamplesSendAreTaken(string trainingType)
    {
        using var client = server.CreateAzureClient();
        var fileId = await UploadProcessedAsync(client);
        var job = await TestData.PostJsonAsync(client, "fine_tuning/jobs", Job(fileId, trainingType));
        Assert.Equal("pending", job.GetProperty("status").GetString());
        await TestData.PostJsonAsync(client, $"fine_tuning/jobs/{job.GetProperty("id").GetString()}/cancel", new { });
    }

    [Fact]
    public async Task ADeveloperTierDeploymentTakesAFineTunedGpt41OnlyAndStartsAccepted()
    {
        using var client = server.CreateAzureClient();
        using var management = server.CreateManagementClient();
        var gpt4o = await TrainAsync(client, "gpt-4o-2024-08-06");
        var refused = await PutAsync(management, "dev-4o", Deployment("DeveloperTier", gpt4o, 50), 400);
        Assert.Equal("DeploymentModelNotSupported", refused.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("GPT-4.1", refused.GetProperty("error").GetProperty("message").GetString());

        var gpt41 = await TrainAsync(client, "gpt-4.1-2025-04-14");
        // fine-tune-test's CLI sample says "Developer"; its REST and Python samples send developertier, taken in any case.
        var developer = await PutAsync(management, "dev-41-cli", Deployment("Developer", gpt41, 50), 400);
        Assert.Contains("DeveloperTier", developer.GetProperty("error").GetProperty("message").GetString());
        var created = await PutAsync(management, "dev-41", Deployment("developertier", gpt41, 50), 201, "2025-07-01-preview");
        Assert.Equal("Accepted", created.GetProperty("properties").GetProperty("provisioningState").GetString());
        Assert.Equal(("DeveloperTier", 50), (created.GetProperty("sku").GetProperty("name").GetString(), created.GetProperty("sku").GetProperty("capacity").GetInt32()));

        await Polling.WaitAsync(() => TestData.GetJsonAsync(management, $"{AzureEmulatorServer.AccountPath}/deployments/dev-41?api-version=2025-07-01-preview"),
            d => d.GetProperty("properties").GetProperty("provisioningState").GetString() == "Succeeded", Timeout, TestData.PollInterval);
        var answer = await TestData.PostJsonAsync(client, "chat/completions", Chat("dev-41", "Question: Who wrote this book?", 3));
        Assert.Equal("Author 3", answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task ABatchOnAPendingFileIsRefusedAndAzuresVersionlessEndpointTakesV1Lines()
    {
        using var client = server.CreateAzureClient();
        var line = JsonSerializer.Serialize(new { custom_id = "q1", method = "POST", url = "/v1/chat/completions", body = Chat("gpt-4o-batch") });
        var fileId = await UploadAsync(client, line, "batch", "batch.jsonl", expiresAfterSeconds: 1_209_600);
        var file = await TestData.GetJsonAsync(client, $"files/{fileId}");
        Assert.Equal(file.GetProperty("created_at").GetInt64() + 1_209_600, file.GetProperty("expires_at").GetInt64());

        var batchBody = new { input_file_id = fileId, endpoint = "/chat/completions", completion_window = "24h", output_expires_after = new { seconds = 1_209_600, anchor = "created_at" } };
        var pending = await TestData.PostJsonAsync(client, "batches", batchBody, 400);
        Assert.Contains("not processed", pending.GetProperty("error").GetProperty("message").GetString());

        await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"files/{fileId}"), f => f.GetProperty("status").GetString() == "processed", Timeout, TestData.PollInterval);
        var batch = await TestData.PostJsonAsync(client, "batches", batchBody);
        var done = await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"batches/{batch.GetProperty("id").GetString()}"),
            b => b.GetProperty("status").GetString() is "completed" or "failed", Timeout, TestData.PollInterval);
        Assert.Equal(("completed", 1), (done.GetProperty("status").GetString(), done.GetProperty("request_counts").GetProperty("completed").GetInt32()));
    }

    [Fact]
    public async Task TheContentFilterFaultRefusesChatsThroughTheNamedDeploymentsInAzuresShape()
    {
        using var admin = server.CreateHttpClient();
        using var set = await admin.PostAsJsonAsync("admin/faults", new { content_filter_rate = 1.0, content_filter_deployments = new[] { "gpt-4o-batch" } });
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        try
        {
            using var client = server.CreateAzureClient();
            var refused = await TestData.PostJsonAsync(client, "chat/completions", Chat("gpt-4o-batch"), 400);
            var error = refused.GetProperty("error");
            Assert.Equal(("content_filter", "prompt"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
            Assert.Equal("ResponsibleAIPolicyViolation", error.GetProperty("innererror").GetProperty("code").GetString());
            Assert.True(error.GetProperty("innererror").GetProperty("content_filter_result").GetProperty("violence").GetProperty("filtered").GetBoolean());

            // Other deployments answer as before.
            await TestData.PostJsonAsync(client, "chat/completions", Chat("gpt-4o"));
        }
        finally
        {
            (await admin.PostAsJsonAsync("admin/faults", new { })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task ACheckpointAnswersOnlyOnceDeployedByItsId()
    {
        using var client = server.CreateAzureClient();
        using var management = server.CreateManagementClient();
        var (_, jobId) = await TrainJobAsync(client, "gpt-4o-2024-08-06", epochs: 2);
        var checkpoints = await TestData.GetJsonAsync(client, $"fine_tuning/jobs/{jobId}/checkpoints");
        var earlier = checkpoints.GetProperty("data").EnumerateArray().OrderBy(c => c.GetProperty("step_number").GetInt32()).First();
        var checkpointModel = earlier.GetProperty("fine_tuned_model_checkpoint").GetString()!;

        var notDeployed = await TestData.PostJsonAsync(client, "chat/completions", Chat(checkpointModel), 404);
        Assert.Equal("DeploymentNotFound", notDeployed.GetProperty("error").GetProperty("code").GetString());

        // fine-tuning-deploy: "deploy a checkpoint by passing the checkpoint ID" as the model's name.
        await PutAsync(management, "ckpt-1", Deployment("GlobalStandard", earlier.GetProperty("id").GetString()!, 50), 201);
        var deployed = await Polling.WaitAsync(() => TestData.GetJsonAsync(management, $"{AzureEmulatorServer.AccountPath}/deployments/ckpt-1?api-version=2024-10-01"),
            d => d.GetProperty("properties").GetProperty("provisioningState").GetString() == "Succeeded", Timeout, TestData.PollInterval);
        Assert.Equal(checkpointModel, deployed.GetProperty("properties").GetProperty("model").GetProperty("name").GetString());
        var answer = await TestData.PostJsonAsync(client, "chat/completions", Chat("ckpt-1", "Question: Who wrote this book?", 3));
        Assert.Equal("Author 3", answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    private async Task<string> TrainAsync(HttpClient client, string baseModel) => (await TrainJobAsync(client, baseModel)).Model;

    private async Task<(string Model, string JobId)> TrainJobAsync(HttpClient client, string baseModel, int epochs = 1)
    {
        var fileId = await UploadProcessedAsync(client);
        var job = await TestData.PostJsonAsync(client, "fine_tuning/jobs", new
        {
            model = baseModel, training_file = fileId, trainingType = "developerTier",
            method = new { type = "supervised", supervised = new { hyperparameters = new { n_epochs = epochs } } },
        });
        var done = await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"fine_tuning/jobs/{job.GetProperty("id").GetString()}"),
            j => j.GetProperty("status").GetString() is "succeeded" or "failed", Timeout, TestData.PollInterval);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        return (done.GetProperty("fine_tuned_model").GetString()!, done.GetProperty("id").GetString()!);
    }

    private static object Deployment(string sku, string model, int capacity) =>
        new { sku = new { name = sku, capacity }, properties = new { model = new { format = "OpenAI", name = model, version = "1" } } };

    [Fact]
    public async Task AJobIsPendingPausesAndResumesAndItsModelAnswersOnlyOnceDeployed()
    {
        using var client = server.CreateAzureClient();
        var fileId = await UploadProcessedAsync(client);
        var job = await TestData.PostJsonAsync(client, "fine_tuning/jobs", Job(fileId, "developerTier", "covers"));
        var jobId = job.GetProperty("id").GetString()!;
        Assert.Equal("pending", job.GetProperty("status").GetString());

        // Azure pauses a running job that has trained a step; until then the pause is refused.
        var paused = await Polling.WaitAsync(async () =>
        {
            using var response = await client.PostAsync($"fine_tuning/jobs/{jobId}/pause", null);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }, p => p.TryGetProperty("status", out var s) && s.GetString() == "paused", Timeout, TestData.PollInterval);
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        await Task.Delay(300);
        Assert.Equal("paused", (await TestData.GetJsonAsync(client, $"fine_tuning/jobs/{jobId}")).GetProperty("status").GetString());

        var resumed = await TestData.PostJsonAsync(client, $"fine_tuning/jobs/{jobId}/resume", new { });
        Assert.Equal("running", resumed.GetProperty("status").GetString());
        var done = await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"fine_tuning/jobs/{jobId}"),
            j => j.GetProperty("status").GetString() is "succeeded" or "failed", Timeout, TestData.PollInterval);
        var model = done.GetProperty("fine_tuned_model").GetString()!;
        Assert.StartsWith("gpt-4o-2024-08-06.ft-", model);
        Assert.EndsWith("-covers", model);

        // Trained, not deployed: no answer under the model's name.
        var notDeployed = await TestData.PostJsonAsync(client, "chat/completions", Chat(model), 404);
        Assert.Equal("DeploymentNotFound", notDeployed.GetProperty("error").GetProperty("code").GetString());

        using var management = server.CreateManagementClient();
        var deployment = await PutAsync(management, "covers-ft", Deployment("GlobalStandard", model, 50), 201);
        Assert.Equal("Accepted", deployment.GetProperty("properties").GetProperty("provisioningState").GetString());
        Assert.Equal(404, (int)(await client.PostAsJsonAsync("chat/completions", Chat("covers-ft"))).StatusCode);

        await Polling.WaitAsync(() => TestData.GetJsonAsync(management, $"{AzureEmulatorServer.AccountPath}/deployments/covers-ft?api-version=2024-10-01"),
            d => d.GetProperty("properties").GetProperty("provisioningState").GetString() == "Succeeded", Timeout, TestData.PollInterval);
        var answer = await TestData.PostJsonAsync(client, "chat/completions", Chat("covers-ft", "Question: Who wrote this book?", 3));
        Assert.Equal("Author 3", answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task ABatchNeedsAGlobalBatchDeploymentOfABaseModel()
    {
        using var client = server.CreateAzureClient();
        var onStandard = await BatchAsync(client, "gpt-4o");
        Assert.Equal("failed", onStandard.GetProperty("status").GetString());
        Assert.Equal("invalid_request", onStandard.GetProperty("errors").GetProperty("data")[0].GetProperty("code").GetString());

        var unknown = await BatchAsync(client, "no-such-deployment");
        Assert.Equal("model_not_found", unknown.GetProperty("errors").GetProperty("data")[0].GetProperty("code").GetString());

        var batch = await BatchAsync(client, "gpt-4o-batch");
        var done = await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"batches/{batch.GetProperty("id").GetString()}"),
            b => b.GetProperty("status").GetString() is "completed" or "failed", Timeout, TestData.PollInterval);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(1, done.GetProperty("request_counts").GetProperty("completed").GetInt32());
    }

    private static async Task<JsonElement> BatchAsync(HttpClient client, string deployment)
    {
        var line = JsonSerializer.Serialize(new { custom_id = "q1", method = "POST", url = "/chat/completions", body = Chat(deployment) });
        var fileId = await UploadAsync(client, line, "batch", "batch.jsonl");
        await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"files/{fileId}"), f => f.GetProperty("status").GetString() == "processed", Timeout, TestData.PollInterval);
        return await TestData.PostJsonAsync(client, "batches", new { input_file_id = fileId, endpoint = "/chat/completions", completion_window = "24h" });
    }

    private static async Task<JsonElement> PutAsync(HttpClient management, string name, object body, int expectedStatus, string apiVersion = "2024-10-01")
    {
        using var response = await management.PutAsJsonAsync($"{AzureEmulatorServer.AccountPath}/deployments/{name}?api-version={apiVersion}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> UploadProcessedAsync(HttpClient client)
    {
        var fileId = await UploadAsync(client, string.Join("\n", TestData.TrainingLines(10)));
        await Polling.WaitAsync(() => TestData.GetJsonAsync(client, $"files/{fileId}"), f => f.GetProperty("status").GetString() == "processed", Timeout, TestData.PollInterval);
        return fileId;
    }

    private static async Task<string> UploadAsync(HttpClient client, string content, string purpose = "fine-tune", string filename = "train.jsonl", long? expiresAfterSeconds = null)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(purpose), "purpose" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", filename },
        };
        if (expiresAfterSeconds is { } seconds)
        {
            // As Azure's batch REST sample spells it.
            form.Add(new StringContent("created_at"), "expires_after.anchor");
            form.Add(new StringContent(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), "expires_after.seconds");
        }

        using var response = await client.PostAsync("files", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static Dictionary<string, object?> Job(string fileId, string? trainingType = "GlobalStandard", string? suffix = null)
    {
        var body = new Dictionary<string, object?> { ["model"] = "gpt-4o-2024-08-06", ["training_file"] = fileId };
        if (trainingType is not null)
        {
            body["trainingType"] = trainingType;
        }

        if (suffix is not null)
        {
            body["suffix"] = suffix;
        }

        return body;
    }

    private static object Chat(string deployment, string question = "Question: Who wrote this book?", int cover = 0) => new
    {
        model = deployment,
        messages = new object[]
        {
            new { role = "system", content = "Answer questions about book covers." },
            TestData.UserTurn(question, TestData.Png(16, 16, cover)),
        },
    };
}
