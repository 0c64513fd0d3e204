using System.Text.Json;
using VqaAspire.Api.Evaluation;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

/// <summary>The Batch API's requests carry the same messages as the sync path: zero-shot leaves out the few-shot pairs.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class BatchZeroShotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vqa-batch-zero-shot-").FullName;

    [Theory]
    [InlineData(true, 2, 1)] // system prompt and the question with its image
    [InlineData(false, 4, 2)] // plus the few-shot pair: its question with its image, and its answer
    public async Task TheBatchInputHasTheFewShotPairsOnlyWhenNotZeroShot(bool zeroShot, int messages, int images)
    {
        var testFile = Path.Combine(_folder, "test.jsonl");
        await File.WriteAllTextAsync(testFile, JsonSerializer.Serialize(new
        {
            messages = new object[]
            {
                new { role = "system", content = "Answer questions about book covers." },
                UserTurn("Who wrote this book?"),
                new { role = "assistant", content = "Stephen King" },
                UserTurn("Is this a cookbook?"),
            },
        }) + "\n");
        var example = new TestExample(1, "img1#q0", "Is this a cookbook?", "No", ["No"], "YesNo", null, "img1");
        var evaluation = new EvaluationView("eval-1", "run-1", DateTimeOffset.UnixEpoch, new EvaluationRequest(ZeroShot: zeroShot, Mode: "batch"),
            [new EvaluationModel("base", "gpt-4o-2024-08-06")], new RunStep(StepStatus.Running), true, null);
        await using var log = await AnswerLog.OpenAsync(Path.Combine(_folder, "answers.jsonl"), CancellationToken.None);
        using var session = new EvaluationSession(evaluation, [example], testFile, _folder, log);

        var inputs = await BatchAnswerer.WriteBatchInputsAsync(session, evaluation.Models[0], new HashSet<int> { 1 }, CancellationToken.None);

        var request = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Assert.Single(inputs)))).RootElement;
        Assert.Equal("img1#q0", request.GetProperty("custom_id").GetString());
        var sent = request.GetProperty("body").GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(messages, sent.Count);
        Assert.Equal("system", sent[0].GetProperty("role").GetString());
        Assert.Equal("Is this a cookbook?", sent[^1].GetProperty("content")[0].GetProperty("text").GetString());
        var imageParts = sent.Where(m => m.GetProperty("content").ValueKind == JsonValueKind.Array)
            .SelectMany(m => m.GetProperty("content").EnumerateArray())
            .Count(part => part.GetProperty("type").GetString() == "image_url");
        Assert.Equal(images, imageParts);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static object UserTurn(string question) => new
    {
        role = "user",
        content = new object[]
        {
            new { type = "text", text = question },
            new { type = "image_url", image_url = new { url = "data:image/jpeg;base64,AAAA", detail = "low" } },
        },
    };
}
