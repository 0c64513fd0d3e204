using System.Text.Json;
using System.Text.Json.Nodes;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>Training files that break one of OpenAI's rules fail the job with an error naming the rule and the line.</summary>
[Trait("Category", TestCategories.Unit)]
public class TrainingFileValidationTests(FakeClockEmulatorServer server) : IClassFixture<FakeClockEmulatorServer>
{
    public static TheoryData<string, string, string> BrokenFiles()
    {
        var good = TestData.TrainingLines(10);
        var rgb = TestData.Png(16, 16);
        string With(int index, string line) => string.Join('\n', good.Take(index).Append(line).Concat(good.Skip(index)));
        string Example(params JsonObject[] messages) => new JsonObject { ["messages"] = new JsonArray(messages) }.ToJsonString();
        var system = new JsonObject { ["role"] = "system", ["content"] = "Answer." };
        JsonObject Assistant(string text) => new() { ["role"] = "assistant", ["content"] = text };
        var manyImages = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode)new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = TestData.DataUrl(TestData.Png(4, 4, i)) } })]);

        return new TheoryData<string, string, string>
        {
            { "invalid JSON", With(2, "{\"messages\": [}"), "Line 3, rule valid_json" },
            { "no messages", With(0, "{\"prompt\": \"x\"}"), "Line 1, rule messages" },
            { "unknown role", With(4, Example(new JsonObject { ["role"] = "robot", ["content"] = "x" }, Assistant("y"))), "Line 5, rule roles" },
            { "no assistant turn", With(1, Example(system, TestData.UserTurn("Who wrote this book?", rgb))), "Line 2, rule assistant_message" },
            { "greyscale image", With(3, Example(TestData.UserTurn("Who?", TestData.Png(16, 16, 0, colorType: 0)), Assistant("A"))), "Line 4, rule image_mode" },
            { "GIF image", With(0, Example(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "data:image/gif;base64," + Convert.ToBase64String("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000"u8.ToArray()) } }) }, Assistant("A"))), "Line 1, rule image_format" },
            { "image in assistant turn", With(5, Example(TestData.UserTurn("Who?", null), new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = TestData.DataUrl(rgb) } }) })), "Line 6, rule no_images_in_assistant_messages" },
            { "eleven images", With(7, Example(new JsonObject { ["role"] = "user", ["content"] = manyImages }, Assistant("A"))), "Line 8, rule max_images" },
            { "too many tokens", With(2, Example(new JsonObject { ["role"] = "user", ["content"] = string.Concat(Enumerable.Repeat("word ", 70_000)) }, Assistant("A"))), "Line 3, rule max_tokens" },
            { "remote image", With(0, Example(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "https://example.com/a.jpg" } }) }, Assistant("A"))), "Line 1, rule image_url" },
            { "too few examples", string.Join('\n', good.Take(5)), "rule min_examples" },
        };
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task ATrainingFileThatBreaksARuleFailsTheJobNamingRuleAndLine(string broken, string content, string expected)
    {
        using var http = server.CreateHttpClient();
        var fileId = await TestData.UploadAsync(http, content);

        var created = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId });
        var job = await server.RunJobAsync(http, created.GetProperty("id").GetString()!);

        Assert.True(job.GetProperty("status").GetString() == "failed", $"A file with {broken} should fail the job.");
        var error = job.GetProperty("error");
        Assert.Equal("invalid_training_file", error.GetProperty("code").GetString());
        Assert.Equal("training_file", error.GetProperty("param").GetString());
        Assert.Contains(expected, error.GetProperty("message").GetString());
        OpenApiSpec.Instance.AssertResponse("retrieveFineTuningJob", job);
    }

    [Fact]
    public async Task ABrokenValidationFileFailsTheJobNamingTheValidationFile()
    {
        using var http = server.CreateHttpClient();
        var trainingId = await TestData.UploadAsync(http, string.Join('\n', TestData.TrainingLines(10)));
        var validationId = await TestData.UploadAsync(http, "not json", filename: "valid.jsonl");

        var created = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = trainingId, validation_file = validationId });
        var job = await server.RunJobAsync(http, created.GetProperty("id").GetString()!);

        Assert.Equal("invalid_validation_file", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("Line 1, rule valid_json", job.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task FilesThatCannotBeUsedAreRefusedAtJobCreation()
    {
        using var http = server.CreateHttpClient();
        var batchFile = await TestData.UploadAsync(http, "{}", "batch", "b.jsonl");

        var missing = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = "file-nope" }, 400);
        var wrongPurpose = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = batchFile }, 400);

        Assert.Equal("training_file", missing.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("purpose", wrongPurpose.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Object, wrongPurpose.GetProperty("error").ValueKind);
    }
}
