using System.Text.Json;
using System.Text.Json.Serialization;

namespace VqaAspire.Api.Evaluation;

/// <summary>One model's answer to one test example, as appended to the answers file.</summary>
/// <param name="ModelSnapshot">The model snapshot that answered, as the provider reported it; null when it did not say.</param>
public sealed record RecordedAnswer(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("example_id")] string ExampleId,
    [property: JsonPropertyName("answer")] string? Answer,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens,
    [property: JsonPropertyName("emulated")] bool Emulated,
    [property: JsonPropertyName("model_snapshot")] string? ModelSnapshot = null,
    [property: JsonPropertyName("filtered")] bool Filtered = false);

/// <summary>
/// The answers file of an evaluation: every answer appended as one JSON line as soon as it arrives, keyed by model
/// name and example id. A restarted evaluation reads it back and asks only what has no answer yet.
/// </summary>
public sealed class AnswerLog : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<(string Model, string ExampleId), RecordedAnswer> _answers = [];

    private AnswerLog(string path, Dictionary<(string, string), RecordedAnswer> existing)
    {
        _answers = existing;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), System.Text.Encoding.UTF8);
    }

    public static async Task<AnswerLog> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<(string, string), RecordedAnswer>();
        if (File.Exists(path))
        {
            foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
            {
                try
                {
                    if (JsonSerializer.Deserialize<RecordedAnswer>(line) is { } answer)
                    {
                        // A later line for the same key (a retried error) replaces the earlier one.
                        existing[(answer.Model, answer.ExampleId)] = answer;
                    }
                }
                catch (JsonException)
                {
                    // The last line of a process stopped mid-write: that example is simply asked again.
                }
            }
        }

        return new AnswerLog(path, existing);
    }

    /// <summary>True when the example has a successful answer from the model.</summary>
    public bool IsAnswered(string model, string exampleId) =>
        // A content-filter refusal is the provider's final word on that prompt: recorded, not asked again.
        _answers.TryGetValue((model, exampleId), out var answer) && (answer.Error is null || answer.Filtered);

    public RecordedAnswer? Find(string model, string exampleId) => _answers.GetValueOrDefault((model, exampleId));

    public IEnumerable<RecordedAnswer> All => _answers.Values;

    public async Task AppendAsync(RecordedAnswer answer, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await _writer.WriteLineAsync(JsonSerializer.Serialize(answer));
            await _writer.FlushAsync(cancellationToken);
            _answers[(answer.Model, answer.ExampleId)] = answer;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _lock.Dispose();
    }
}
