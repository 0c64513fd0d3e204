using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VqaAspire.Testing;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>Images and training files for the emulator tests, built in code.</summary>
public static class TestData
{
    /// <summary>A real PNG: colour type 2 (RGB), 6 (RGBA) or 0 (greyscale); the seed varies the pixels.</summary>
    public static byte[] Png(int width, int height, int seed = 0, byte colorType = 2) => PngFiles.Write(width, height, seed, colorType);

    public static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    public static JsonObject UserTurn(string question, byte[]? image) =>
        new()
        {
            ["role"] = "user",
            ["content"] = image is null
                ? new JsonArray(new JsonObject { ["type"] = "text", ["text"] = question })
                : new JsonArray(
                    new JsonObject { ["type"] = "text", ["text"] = question },
                    new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = DataUrl(image) } }),
        };

    /// <summary>One cookbook-style training line: system prompt, user question with the cover, assistant answer.</summary>
    public static string TrainingLine(string question, byte[] image, string answer) =>
        new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "Answer questions about book covers." },
                UserTurn(question, image),
                new JsonObject { ["role"] = "assistant", ["content"] = answer }),
        }.ToJsonString();

    /// <summary>
    /// A valid training file of <paramref name="count"/> examples: cover i is asked "Who wrote this book?" (answer
    /// "Author i") and, for even i, "Is this a cookbook?" (answer "Yes").
    /// </summary>
    public static List<string> TrainingLines(int count)
    {
        var lines = new List<string>();
        for (var i = 0; i < count; i++)
        {
            lines.Add(TrainingLine("Question: Who wrote this book?", Png(16, 16, i), $"Author {i}"));
            if (i % 2 == 0)
            {
                lines.Add(TrainingLine("Question: Is this a cookbook?", Png(16, 16, i), "Yes"));
            }
        }

        return lines;
    }

    public static async Task<string> UploadAsync(HttpClient client, string content, string purpose = "fine-tune", string filename = "train.jsonl")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(purpose), "purpose" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", filename },
        };
        using var response = await client.PostAsync("v1/files", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> PostJsonAsync(HttpClient client, string path, object body, int expectedStatus = 200)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{path}: expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>How often the emulator tests read a job or batch: the emulator's clock moves in tens of milliseconds.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls a job until it reaches a final state.</summary>
    public static async Task<JsonElement> WaitForJobAsync(HttpClient client, string jobId)
    {
        return await Polling.WaitAsync(
            () => GetJsonAsync(client, $"v1/fine_tuning/jobs/{jobId}"),
            job => job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled",
            EmulatorServer.JobTimeout,
            PollInterval);
    }
}
