using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// A small OpenAI-compatible server in the test process (Kestrel on loopback) answering <c>/v1/chat/completions</c>, as
/// vLLM or Ollama would: the api treats it as a real model (no emulator fingerprint). As a model it knows the truth of
/// prepared test sets and answers right a set share of the time (by a hash of the question and image, so it is the same
/// every run); it may fail a share of its requests with 500s (each question at most once), or answer 404 to everything
/// as a deployment not there yet.
/// As a judge it grades "Very Similar" when the prediction is the truth, else "Incorrect".
/// </summary>
internal sealed class OpenAICompatibleTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _failedOnce = new(StringComparer.Ordinal);
    private int _requests;

    private OpenAICompatibleTestServer(WebApplication app) => _app = app;

    /// <summary>The server's <c>/v1</c> URL, for <c>models[].endpoint</c> or <c>judge.endpoint</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Chat requests received, failed ones included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A model right on <paramref name="rightPercent"/> of the questions it knows; <paramref name="failPercent"/> of its requests answer 500.</summary>
    public static Task<OpenAICompatibleTestServer> ModelAsync(TestSetTruth truth, string name, int rightPercent, int failPercent = 0) =>
        StartAsync((server, body, request) =>
        {
            var key = TestSetTruth.KeyOf(LastUserContent(body));
            // failPercent/20 of every 5 requests fail, a question at most once: a steady share of 500s that the
            // client's retry gets through, as with a flaky server.
            if (failPercent > 0 && request % 5 < failPercent / 20 && server._failedOnce.TryAdd(key, 0))
            {
                return Results.Json(new { error = new { message = "The server had an error processing your request.", type = "server_error" } }, statusCode: 500);
            }

            var answer = truth.Find(key) is not { } right ? "I do not know."
                : Percentile(name + key) < rightPercent ? right
                : right.Equals("Yes", StringComparison.OrdinalIgnoreCase) ? "No"
                : right.Equals("No", StringComparison.OrdinalIgnoreCase) ? "Yes"
                : "Something else entirely";
            return Completion(body, answer);
        });

    /// <summary>A deployment that is not there: 404 for every request, as OpenAI and Azure answer an unknown model.</summary>
    public static Task<OpenAICompatibleTestServer> MissingDeploymentAsync() =>
        StartAsync((_, _, _) => Results.Json(new { error = new { message = "The model does not exist or you do not have access to it.", type = "invalid_request_error", code = "model_not_found" } },
            statusCode: 404));

    /// <summary>A judge: the prediction equal to the truth (ignoring case and surrounding spaces) is Very Similar, anything else Incorrect.</summary>
    public static Task<OpenAICompatibleTestServer> JudgeAsync() =>
        StartAsync((_, body, _) =>
        {
            using var graded = JsonDocument.Parse(LastUserContent(body).GetString()!);
            var truth = graded.RootElement.GetProperty("ground_truth").GetString()!.Trim();
            var prediction = graded.RootElement.GetProperty("prediction").GetString()!.Trim();
            var rating = string.Equals(truth, prediction, StringComparison.OrdinalIgnoreCase) ? "Very Similar" : "Incorrect";
            return Completion(body, JsonSerializer.Serialize(new { rating, explanation = $"{rating}: compared with the truth." }), model: "test-judge-2026-01-01");
        });

    /// <param name="respond">The answer to a request's body, given the request's number (0 for the first).</param>
    private static async Task<OpenAICompatibleTestServer> StartAsync(Func<OpenAICompatibleTestServer, JsonElement, int, IResult> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var server = new OpenAICompatibleTestServer(app);
        app.MapPost("/v1/chat/completions", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            return respond(server, body.RootElement, Interlocked.Increment(ref server._requests) - 1);
        });
        await app.StartAsync();
        server.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/v1";
        return server;
    }

    private static JsonElement LastUserContent(JsonElement body) =>
        body.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").Clone();

    private static IResult Completion(JsonElement body, string text, string? model = null) => Results.Json(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 1_767_225_600,
        model = model ?? body.GetProperty("model").GetString(),
        system_fingerprint = "fp_test_server",
        choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 100, completion_tokens = 3, total_tokens = 103 },
    });

    private static int Percentile(string text) => (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0) % 100);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The truth of prepared test sets, by what a chat request asks: the question's text and its image.</summary>
internal sealed class TestSetTruth
{
    private readonly Dictionary<string, string> _truth = new(StringComparer.Ordinal);

    public string? Find(string key) => _truth.GetValueOrDefault(key);

    /// <summary>Reads a run's prepared <c>test.jsonl</c> (what is asked) and <c>test.examples.jsonl</c> (the truth, by line).</summary>
    public void AddRun(string workspaceRoot, string runId)
    {
        var folder = Path.Combine(workspaceRoot, "runs", runId, "prepared");
        var asked = File.ReadAllLines(Path.Combine(folder, "test.jsonl"));
        foreach (var line in File.ReadLines(Path.Combine(folder, "test.examples.jsonl")))
        {
            using var example = JsonDocument.Parse(line);
            using var chat = JsonDocument.Parse(asked[example.RootElement.GetProperty("line").GetInt32() - 1]);
            _truth[KeyOf(LastUserContent(chat.RootElement))] = example.RootElement.GetProperty("answer").GetString()!;
        }
    }

    /// <summary>The text parts and a hash of the image: the same for the prepared line and the request sent from it.</summary>
    public static string KeyOf(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            text.Append(part.GetProperty("type").GetString() switch
            {
                "text" => part.GetProperty("text").GetString(),
                "image_url" => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(part.GetProperty("image_url").GetProperty("url").GetString()!))),
                _ => "",
            }).Append('\n');
        }

        return text.ToString();
    }

    private static JsonElement LastUserContent(JsonElement line) =>
        line.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content");
}
