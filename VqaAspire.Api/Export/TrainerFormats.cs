using System.Text.Encodings.Web;
using System.Text.Json;

namespace VqaAspire.Api.Export;

/// <summary>
/// LLaMA-Factory's multimodal sharegpt format, in its "OpenAI format" spelling (hiyouga/LLaMA-Factory, data/README.md,
/// "Sharegpt Format" > "OpenAI Format" and "Multimodal Image Dataset"): a JSON array of
/// <c>{"messages": [{"role", "content"}], "images": [paths]}</c>, an <c>&lt;image&gt;</c> placeholder in a message's
/// content for each image, as many placeholders as images, in order. Paths are relative to <c>media_dir</c>, which
/// defaults to <c>dataset_dir</c>: the bundle's root.
/// </summary>
public sealed class LlamaFactoryWriter : IAsyncDisposable
{
    /// <summary>The placeholder LLaMA-Factory replaces with an image, one per entry of <c>images</c>.</summary>
    public const string ImagePlaceholder = "<image>";

    /// <summary>Files for people and trainers, not for a web page: "&lt;image&gt;" and apostrophes stay as they are.</summary>
    internal static readonly JsonWriterOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;

    public LlamaFactoryWriter(string path)
    {
        _stream = File.Create(path);
        _writer = new Utf8JsonWriter(_stream, ReadableJson);
        _writer.WriteStartArray();
    }

    public async Task WriteAsync(ExportConversation conversation, CancellationToken cancellationToken)
    {
        var w = _writer;
        w.WriteStartObject();
        w.WriteStartArray("messages");
        foreach (var turn in conversation.Turns)
        {
            w.WriteStartObject();
            w.WriteString("role", turn.Role);
            // A literal "<image>" in a question would be one placeholder too many: it is written without its brackets.
            w.WriteString("content", string.Concat(turn.Parts.Select(p => p.IsImage ? ImagePlaceholder : p.Text!.Replace(ImagePlaceholder, "image", StringComparison.Ordinal))));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("images");
        foreach (var path in conversation.ImagePaths)
        {
            w.WriteStringValue(path);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _writer.WriteEndArray();
        await _writer.FlushAsync();
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
    }

    /// <summary>
    /// The <c>dataset_info.json</c> entries for the exported splits, as data/README.md describes them for the OpenAI
    /// format (formatting sharegpt; columns messages and images; tags role/content/user/assistant/system).
    /// </summary>
    public static void WriteDatasetInfo(Utf8JsonWriter w, IEnumerable<(string Name, string FileName)> datasets)
    {
        w.WriteStartObject();
        foreach (var (name, fileName) in datasets)
        {
            w.WriteStartObject(name);
            w.WriteString("file_name", fileName);
            w.WriteString("formatting", "sharegpt");
            w.WriteStartObject("columns");
            w.WriteString("messages", "messages");
            w.WriteString("images", "images");
            w.WriteEndObject();
            w.WriteStartObject("tags");
            w.WriteString("role_tag", "role");
            w.WriteString("content_tag", "content");
            w.WriteString("user_tag", "user");
            w.WriteString("assistant_tag", "assistant");
            w.WriteString("system_tag", "system");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}

/// <summary>
/// Axolotl's multimodal chat_template format (axolotl-ai-cloud/axolotl, docs/multimodal.qmd, "Dataset Format"): JSON
/// lines of <c>{"messages": [{"role", "content": [parts]}]}</c>, each part <c>{"type": "text", "text"}</c> or
/// <c>{"type": "image", "path"}</c>. Paths are relative to the folder Axolotl is started in: the bundle's root.
/// </summary>
public sealed class AxolotlWriter : IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;

    public AxolotlWriter(string path)
    {
        _stream = File.Create(path);
        _writer = new Utf8JsonWriter(_stream, LlamaFactoryWriter.ReadableJson);
    }

    public async Task WriteAsync(ExportConversation conversation, CancellationToken cancellationToken)
    {
        var w = _writer;
        w.WriteStartObject();
        w.WriteStartArray("messages");
        foreach (var turn in conversation.Turns)
        {
            w.WriteStartObject();
            w.WriteString("role", turn.Role);
            w.WriteStartArray("content");
            foreach (var part in turn.Parts)
            {
                w.WriteStartObject();
                if (part.IsImage)
                {
                    w.WriteString("type", "image");
                    w.WriteString("path", part.ImagePath);
                }
                else
                {
                    w.WriteString("type", "text");
                    w.WriteString("text", part.Text);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(cancellationToken);
        w.Reset();
        await _stream.WriteAsync(NewLine, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
