using System.Text.Json;

namespace VqaAspire.Api.Preparation;

/// <summary>
/// A JSONL file written through one reused JSON writer into a pooled buffer, flushed to disk in large chunks; lands
/// under its name only when complete.
/// </summary>
public sealed class JsonLinesFile : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>Buffered bytes that trigger a write to the file.</summary>
    private const int FlushAt = 1 << 18;

    private readonly string _path;
    private readonly string _partial;
    private readonly FileStream _stream;
    private readonly PooledBufferWriter _buffer = new(FlushAt * 2);
    private readonly Utf8JsonWriter _writer;
    private bool _complete;

    public JsonLinesFile(string path)
    {
        _path = path;
        _partial = path + ".partial";
        // Unbuffered: whole chunks of lines are written at once.
        _stream = new FileStream(_partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    /// <summary>Writes one line: the JSON value <paramref name="line"/> writes, then a newline.</summary>
    public void Write(Action<Utf8JsonWriter> line)
    {
        line(BeginLine());
        EndLine();
    }

    /// <summary>The writer for the next line's one JSON value; <see cref="EndLine"/> ends it.</summary>
    public Utf8JsonWriter BeginLine() => _writer;

    public void EndLine()
    {
        _writer.Flush();
        _writer.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= FlushAt)
        {
            FlushBuffer();
        }
    }

    /// <summary>Marks the file whole: only then does it replace the file of that name.</summary>
    public void Complete() => _complete = true;

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        if (_complete)
        {
            FlushBuffer();
        }

        _buffer.Dispose();
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

    private void FlushBuffer()
    {
        _stream.Write(_buffer.WrittenSpan);
        _buffer.Clear();
    }
}
