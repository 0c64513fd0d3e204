using System.Text.Json.Serialization;
using Parquet;
using Parquet.Serialization;

namespace VqaAspire.Api.Export;

/// <summary>
/// A Hugging Face dataset split as parquet, for TRL's SFTTrainer and Unsloth: a <c>messages</c> column in TRL's
/// conversational vision format (huggingface/trl, docs/source/dataset_formats.md, "Vision datasets": the content of a
/// message is a list of <c>{"type": "image"}</c> and <c>{"type": "text", "text"}</c>) and an <c>images</c> column of
/// Image features (struct{bytes, path}, the way the datasets library stores them). The bytes stay null and the path
/// points at the bundle's image file, relative to the bundle's root, so the covers are not stored twice.
/// Written a row group at a time: a split is never held in memory whole.
/// </summary>
public sealed class HuggingFaceParquetWriter : IAsyncDisposable
{
    /// <summary>Rows per row group: small rows (no image bytes), so a group stays a few hundred kB.</summary>
    public const int RowsPerGroup = 512;

    /// <summary>
    /// The <c>huggingface</c> footer key the datasets library reads the features from, so <c>images</c> loads as a
    /// list of images and <c>messages</c> keeps its nested types.
    /// </summary>
    public const string FeaturesJson = """
        {"info": {"features": {"messages": [{"role": {"dtype": "string", "_type": "Value"}, "content": [{"type": {"dtype": "string", "_type": "Value"}, "text": {"dtype": "string", "_type": "Value"}}]}], "images": {"feature": {"_type": "Image"}, "_type": "Sequence"}}}}
        """;

    private static readonly Dictionary<string, string> Metadata = new() { ["huggingface"] = FeaturesJson };

    private readonly FileStream _stream;
    private readonly List<HfRow> _rows = new(RowsPerGroup);
    private bool _started;

    public HuggingFaceParquetWriter(string path) =>
        _stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);

    public int Count { get; private set; }

    public async Task WriteAsync(ExportConversation conversation, CancellationToken cancellationToken)
    {
        _rows.Add(new HfRow
        {
            Messages = [.. conversation.Turns.Select(t => new HfMessage
            {
                Role = t.Role,
                Content = [.. t.Parts.Select(p => p.IsImage ? new HfContent { Type = "image" } : new HfContent { Type = "text", Text = p.Text })],
            })],
            Images = [.. conversation.ImagePaths.Select(p => new HfImage { Path = p })],
        });
        Count++;
        if (_rows.Count == RowsPerGroup)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes the rows still buffered and closes the file (an empty split still gets its schema).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_rows.Count > 0 || !_started)
        {
            await FlushAsync(cancellationToken);
        }

        await _stream.FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        _stream.Position = 0;
        await ParquetSerializer.SerializeAsync(_rows, _stream, new ParquetOptions { Append = _started, RowGroupSize = RowsPerGroup }, Metadata, cancellationToken);
        _started = true;
        _rows.Clear();
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    /// <summary>One example: the column names are the datasets library's and TRL's.</summary>
    public sealed class HfRow
    {
        [JsonPropertyName("messages")]
        public List<HfMessage> Messages { get; set; } = [];

        [JsonPropertyName("images")]
        public List<HfImage> Images { get; set; } = [];
    }

    public sealed class HfMessage
    {
        [JsonPropertyName("role")]
        public string Role { get; set; } = "";

        [JsonPropertyName("content")]
        public List<HfContent> Content { get; set; } = [];
    }

    public sealed class HfContent
    {
        [JsonPropertyName("type")]
        public string Type { get; set; } = "";

        [JsonPropertyName("text")]
        public string? Text { get; set; }
    }

    /// <summary>An Image feature's storage: <c>bytes</c> (null here) and <c>path</c>.</summary>
    public sealed class HfImage
    {
        [JsonPropertyName("bytes")]
        public byte[]? Bytes { get; set; }

        [JsonPropertyName("path")]
        public string Path { get; set; } = "";
    }
}
