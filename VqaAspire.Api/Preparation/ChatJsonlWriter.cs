using System.Text.Json;
using VqaAspire.Api.Datasets;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Preparation;

/// <summary>
/// Writes one split in OpenAI's chat format (system prompt, few-shot turns, the question with its image, and the answer
/// for training splits) and, line for line beside it, the example index evaluation reads the truth from. Each line
/// is checked as it is written (<see cref="WrittenLineValidator"/>), so the file is not read back to be validated.
/// </summary>
public sealed class ChatJsonlWriter : IAsyncDisposable
{
    private readonly JsonLinesFile _lines;
    private readonly JsonLinesFile _index;
    private readonly string _systemPrompt;
    private readonly IReadOnlyList<FewShotPair> _fewShot;
    private readonly string _detail;
    private readonly WrittenLineValidator _validator;
    private readonly ValidationTally _tally;

    public ChatJsonlWriter(string chatPath, string indexPath, string systemPrompt, IReadOnlyList<FewShotPair> fewShot, string detail, TokenCounter tokens, JsonlPurpose purpose)
    {
        _validator = new WrittenLineValidator(tokens, purpose, systemPrompt, fewShot, detail);
        _tally = new ValidationTally(purpose);
        _systemPrompt = systemPrompt;
        _fewShot = fewShot;
        _detail = detail;
        _lines = new JsonLinesFile(chatPath);
        try
        {
            _index = new JsonLinesFile(indexPath);
        }
        catch
        {
            _lines.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Examples written so far; the next one goes on line <c>Count + 1</c>.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Writes an example's chat line and its index row, and checks the line; <paramref name="answer"/> is null for
    /// the test split. <paramref name="dataUrlJson"/> is the image's data URL literal, of a <paramref name="width"/>
    /// by <paramref name="height"/> JPEG.
    /// </summary>
    public void Write(string exampleId, VqaImageRecord record, VqaQuestion question, ReadOnlySpan<byte> dataUrlJson, int width, int height, string imageCacheId, string? answer)
    {
        WriteChatLine(_lines.BeginLine(), question.Text, dataUrlJson, answer);
        _lines.EndLine();
        WriteIndexRow(_index.BeginLine(), Count + 1, exampleId, record, question, imageCacheId);
        _index.EndLine();
        _tally.Add(_validator.Check(question.Text, dataUrlJson.Length, width, height, answer), exampleId);
        Count++;
    }

    /// <summary>The validation report of the lines written so far, as the file validator would give it.</summary>
    public ValidationReport Report() => _tally.Report();

    /// <summary>Marks both files whole: only then do they replace the files of those names.</summary>
    public void Complete()
    {
        _lines.Complete();
        _index.Complete();
    }

    public async ValueTask DisposeAsync()
    {
        await _index.DisposeAsync();
        await _lines.DisposeAsync();
    }

    private void WriteChatLine(Utf8JsonWriter w, string question, ReadOnlySpan<byte> dataUrl, string? answer)
    {
        w.WriteStartObject();
        w.WriteStartArray("messages");
        WriteMessage(w, "system", _systemPrompt);
        foreach (var pair in _fewShot)
        {
            WriteUserTurn(w, pair.Question, pair.DataUrl, _detail);
            WriteMessage(w, "assistant", pair.Answer);
        }

        WriteUserTurn(w, question, dataUrl, _detail);
        if (answer is not null)
        {
            WriteMessage(w, "assistant", answer);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, string role, string content)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        w.WriteEndObject();
    }

    private static void WriteUserTurn(Utf8JsonWriter w, string question, ReadOnlySpan<byte> dataUrlJson, string detail)
    {
        w.WriteStartObject();
        w.WriteString("role", "user");
        w.WriteStartArray("content");
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", question);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("type", "image_url");
        w.WriteStartObject("image_url");
        w.WritePropertyName("url");
        // Base64 needs no escaping: the literal made once per image is copied as is.
        w.WriteRawValue(dataUrlJson, skipInputValidation: true);
        w.WriteString("detail", detail);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteIndexRow(Utf8JsonWriter w, int line, string exampleId, VqaImageRecord record, VqaQuestion question, string imageCacheId)
    {
        w.WriteStartObject();
        w.WriteNumber("line", line);
        w.WriteString("example_id", exampleId);
        w.WriteString("image_id", record.ImageId);
        w.WriteString("question", question.Text);
        w.WriteString("answer", question.Answer);
        w.WriteStartArray("accepted_answers");
        foreach (var accepted in question.AcceptedAnswers)
        {
            w.WriteStringValue(accepted);
        }

        w.WriteEndArray();
        w.WriteString("kind", question.Kind.ToString());
        w.WriteString("image", imageCacheId);
        w.WriteEndObject();
    }
}
