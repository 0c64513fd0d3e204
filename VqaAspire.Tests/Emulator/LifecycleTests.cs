using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>Cancelling, paging and checksums: the parts of the lifecycle a client meets when something goes sideways.</summary>
[Trait("Category", TestCategories.Unit)]
public class LifecycleTests(FakeClockEmulatorServer server) : IClassFixture<FakeClockEmulatorServer>
{
    [Fact]
    public async Task AWaitingBatchIsCancelledAndSaysSo()
    {
        using var http = server.CreateHttpClient();
        var line = JsonSerializer.Serialize(new { custom_id = "a", method = "POST", url = "/v1/chat/completions", body = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi" } } } });
        var fileId = await TestData.UploadAsync(http, line, "batch", "batch.jsonl");
        var created = await TestData.PostJsonAsync(http, "v1/batches", new { input_file_id = fileId, endpoint = "/v1/chat/completions", completion_window = "24h", metadata = new { run = "r1" } });
        var batchId = created.GetProperty("id").GetString()!;

        var cancelling = await TestData.PostJsonAsync(http, $"v1/batches/{batchId}/cancel", new { });
        await server.TickAsync();
        var batch = await TestData.GetJsonAsync(http, $"v1/batches/{batchId}");

        Assert.Equal("cancelling", cancelling.GetProperty("status").GetString());
        Assert.Equal("cancelled", batch.GetProperty("status").GetString());
        Assert.True(batch.GetProperty("cancelled_at").GetInt64() > 0);
        Assert.Equal("r1", batch.GetProperty("metadata").GetProperty("run").GetString());
        OpenApiSpec.Instance.AssertResponse("cancelBatch", cancelling);
        var again = await TestData.PostJsonAsync(http, $"v1/batches/{batchId}/cancel", new { }, 400);
        Assert.Equal("invalid_request_error", again.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task JobsAndEventsPageWithAfterAndLimit()
    {
        using var http = server.CreateHttpClient();
        var fileId = await TestData.UploadAsync(http, string.Join('\n', TestData.TrainingLines(10)));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId })).GetProperty("id").GetString()!);
            server.Clock.Advance(TimeSpan.FromSeconds(1)); // distinct created_at seconds, so the newest-first order is certain
        }

        var first = await TestData.GetJsonAsync(http, "v1/fine_tuning/jobs?limit=2");
        var firstIds = first.GetProperty("data").EnumerateArray().Select(j => j.GetProperty("id").GetString()!).ToList();
        var second = await TestData.GetJsonAsync(http, $"v1/fine_tuning/jobs?limit=2&after={firstIds[^1]}");
        var events = await TestData.GetJsonAsync(http, $"v1/fine_tuning/jobs/{ids[0]}/events?limit=1");
        var olderEvents = await TestData.GetJsonAsync(http, $"v1/fine_tuning/jobs/{ids[0]}/events?limit=1&after={events.GetProperty("data")[0].GetProperty("id").GetString()}");

        Assert.Equal([ids[2], ids[1]], firstIds);
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[0], second.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.StartsWith("Validating training file", events.GetProperty("data")[0].GetProperty("message").GetString());
        Assert.StartsWith("Created fine-tuning job", olderEvents.GetProperty("data")[0].GetProperty("message").GetString());
        Assert.False(olderEvents.GetProperty("has_more").GetBoolean());
        var tooMany = await http.GetAsync("v1/fine_tuning/jobs?limit=1000");
        Assert.Equal(400, (int)tooMany.StatusCode);
    }

    [Fact]
    public async Task AnUploadWhoseChecksumOrSizeIsWrongIsRefusedNamingTheParameter()
    {
        using var http = server.CreateHttpClient();
        var bytes = Encoding.UTF8.GetBytes("{\"messages\":[]}\n");
        async Task<(string Upload, string Part)> StartAsync(int declared)
        {
            var upload = await TestData.PostJsonAsync(http, "v1/uploads", new { filename = "t.jsonl", purpose = "fine-tune", bytes = declared, mime_type = "text/jsonl" });
            using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "data", "part" } };
            using var response = await http.PostAsync($"v1/uploads/{upload.GetProperty("id").GetString()}/parts", form);
            var part = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (upload.GetProperty("id").GetString()!, part.GetProperty("id").GetString()!);
        }

        var (checksumUpload, checksumPart) = await StartAsync(bytes.Length);
        var wrongChecksum = await TestData.PostJsonAsync(http, $"v1/uploads/{checksumUpload}/complete", new { part_ids = new[] { checksumPart }, md5 = "00000000000000000000000000000000" }, 400);
        var (sizeUpload, sizePart) = await StartAsync(bytes.Length + 10);
        var wrongSize = await TestData.PostJsonAsync(http, $"v1/uploads/{sizeUpload}/complete", new { part_ids = new[] { sizePart } }, 400);
        var unknownPart = await TestData.PostJsonAsync(http, $"v1/uploads/{sizeUpload}/complete", new { part_ids = new[] { "part_nope" } }, 400);
        var missing = await TestData.PostJsonAsync(http, "v1/uploads/upload_nope/cancel", new { }, 404);

        Assert.Equal("md5", wrongChecksum.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("part_ids", wrongSize.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("part_ids[0]", unknownPart.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("upload_nope", missing.GetProperty("error").GetProperty("message").GetString());
    }
}
