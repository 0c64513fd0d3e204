using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>Bad input gets OpenAI's error shape with a 4xx naming what is wrong, never a 500.</summary>
[Trait("Category", TestCategories.Unit)]
public class BadInputTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    [Theory]
    [InlineData("POST", "v1/chat/completions", "{\"model\":\"gpt-4o\",", 400, null)]
    [InlineData("POST", "v1/chat/completions", "", 400, null)]
    [InlineData("POST", "v1/chat/completions", "{\"model\":5,\"messages\":[]}", 400, "model")]
    [InlineData("POST", "v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[1]}", 400, "messages[0]")]
    [InlineData("POST", "v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]}", 400, "messages[0].content[0].type")]
    [InlineData("POST", "v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":\"text\"}", 400, "response_format")]
    [InlineData("POST", "v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"schema\":{\"$ref\":\"#/nope\"}}}}", 400, "response_format.json_schema.schema")]
    [InlineData("POST", "v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}", 400, "messages[0].content[0].image_url.url")]
    [InlineData("POST", "v1/uploads", "{\"filename\":\"a\",\"purpose\":\"fine-tune\",\"bytes\":\"x\",\"mime_type\":\"a\"}", 400, "bytes")]
    [InlineData("POST", "v1/uploads", "{\"filename\":\"a\",\"purpose\":\"nope\",\"bytes\":1,\"mime_type\":\"a\"}", 400, "purpose")]
    [InlineData("POST", "v1/fine_tuning/jobs", "[1]", 400, null)]
    [InlineData("POST", "v1/fine_tuning/jobs", "{\"training_file\":\"file-x\"}", 400, "model")]
    [InlineData("POST", "v1/batches", "{\"input_file_id\":\"file-x\",\"endpoint\":\"/v1/embeddings\",\"completion_window\":\"24h\"}", 400, "endpoint")]
    [InlineData("GET", "v1/files?limit=abc", null, 400, "limit")]
    [InlineData("GET", "v1/fine_tuning/jobs/ftjob-nope", null, 404, "fine_tuning_job_id")]
    [InlineData("GET", "v1/batches/batch_nope", null, 404, "batch_id")]
    [InlineData("GET", "v1/nothing-here", null, 404, null)]
    [InlineData("POST", "admin/faults", "", 400, null)]
    public async Task BadInputGetsAnOpenAIErrorNamingTheParameter(string method, string path, string? body, int status, string? param)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.DoesNotContain("VqaAspire.", error.GetProperty("message").GetString());
    }
}
