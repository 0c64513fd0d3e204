using System.Text.Json;

namespace VqaAspire.Api.Preparation;

/// <summary>A JSONL file written through one reused JSON writer; lands under its name only when complete.</summary>
public sealed class JsonLinesFile : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private readonly string _path;
    private readonly string _partial;
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;
    private bool _complete;

    public JsonLinesFile(string path)
    {
        _path = path;
        _partial = path + ".partial";
        _stream = new FileStream(_partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new Utf8JsonWriter(_stream, WriterOptions);
    }

    /// <summary>Writes one line: the JSON value <paramref name="line"/> writes, then a newline.</summary>
    public void Write(Action<Utf8JsonWriter> line)
    {
        line(_writer);
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        _writer.Reset(_stream);
    }

    /// <summary>Marks the file whole: only then does it replace the file of that name.</summary>
    public void Complete() => _complete = true;

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
        if (_complete)
        {
            File.Move(_partial, _path, overwrite: true);
        }
        else
        {
            File.Delete(_partial);
        }
    }
}
