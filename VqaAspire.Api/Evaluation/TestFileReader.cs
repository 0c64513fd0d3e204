using System.Text.Json;
using VqaAspire.Api.Preparation;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Reads a run's prepared test set: the truth of every example from <c>test.examples.jsonl</c>, and the chat messages
/// to ask from <c>test.jsonl</c>, streamed line by line.
/// </summary>
public static class TestFileReader
{
    public const string ExamplesFileName = "test.examples.jsonl";
    public const string ChatFileName = "test.jsonl";

    /// <summary>The truth of every test example, in line order.</summary>
    public static async Task<IReadOnlyList<TestExample>> LoadExamplesAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new PreparationException("The run has no prepared test set; prepare it first.");
        }

        var examples = new List<TestExample>();
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            using var row = JsonDocument.Parse(line);
            var r = row.RootElement;
            examples.Add(new TestExample(r.GetProperty("line").GetInt32(), r.GetProperty("example_id").GetString()!, r.GetProperty("question").GetString()!,
                r.GetProperty("answer").GetString()!, [.. r.GetProperty("accepted_answers").EnumerateArray().Select(a => a.GetString()!)],
                r.GetProperty("kind").GetString()!, r.TryGetProperty("image", out var image) ? image.GetString() : null,
                r.TryGetProperty("image_id", out var imageId) ? imageId.GetString() : null));
        }

        return examples;
    }

    /// <summary>Streams the test file, yielding the messages of the lines still to ask: memory stays bounded on any size.</summary>
    public static async IAsyncEnumerable<PendingRequest> ReadPendingAsync(string path, IReadOnlySet<int> lines, bool zeroShot,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (!lines.Contains(number))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var messages = document.RootElement.GetProperty("messages");
            var chosen = zeroShot
                ? messages.EnumerateArray().Where((m, i) => i == 0 && m.GetProperty("role").GetString() == "system").Append(messages[messages.GetArrayLength() - 1]).ToList()
                : [.. messages.EnumerateArray()];
            var bytes = JsonSerializer.SerializeToUtf8Bytes(chosen);
            yield return new PendingRequest(number, bytes, EstimateTokens(chosen));
        }
    }

    /// <summary>A cheap estimate for the token limiter: text at four characters a token, images at their high-detail maximum tile count.</summary>
    private static int EstimateTokens(IEnumerable<JsonElement> messages)
    {
        var total = 0;
        foreach (var message in messages)
        {
            var content = message.GetProperty("content");
            if (content.ValueKind == JsonValueKind.String)
            {
                total += content.GetString()!.Length / 4 + TokenCounter.TokensPerMessage;
                continue;
            }

            foreach (var part in content.EnumerateArray())
            {
                total += part.GetProperty("type").GetString() == "image_url" ? 765 : (part.TryGetProperty("text", out var t) ? t.GetString()!.Length / 4 : 0);
            }
        }

        return total + TokenCounter.TokensPerConversation;
    }
}
