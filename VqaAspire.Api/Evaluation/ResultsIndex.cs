using System.Text.Json;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Where each line of a <c>results.jsonl</c> starts, with what the example browser filters on (kind, each model's
/// right or wrong): built in one pass the first time a file is paged, then every page filters in memory and reads
/// only its own lines. Kept per file version (length and write time), a few files at once.
/// </summary>
public sealed class ResultsIndex
{
    private const int FilesKept = 8;

    private static readonly Dictionary<string, ResultsIndex> Cache = [];

    private readonly string _path;
    private readonly (long Length, DateTime Written) _version;
    private readonly List<Row> _rows = [];
    private readonly List<(int Model, bool Right)> _answers = [];
    private readonly List<string> _kinds = [];
    private readonly List<string> _models = [];

    private ResultsIndex(string path, (long, DateTime) version)
    {
        _path = path;
        _version = version;
    }

    private readonly record struct Row(long Offset, int Length, int Kind, int FirstAnswer, int Answers);

    /// <summary>The index of the file as it is now, built when it is new or changed.</summary>
    public static async Task<ResultsIndex> ForAsync(string path, Func<ModelAnswer, bool> isRight, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        var version = (info.Length, info.LastWriteTimeUtc);
        lock (Cache)
        {
            if (Cache.TryGetValue(path, out var known) && known._version == version)
            {
                return known;
            }
        }

        var index = new ResultsIndex(path, version);
        await index.BuildAsync(isRight, cancellationToken);
        lock (Cache)
        {
            if (Cache.Count >= FilesKept && !Cache.ContainsKey(path))
            {
                Cache.Remove(Cache.Keys.First());
            }

            Cache[path] = index;
        }

        return index;
    }

    /// <summary>The filtered total and the page from <paramref name="offset"/>: the same filters as reading every result would apply.</summary>
    public async Task<(int Total, List<ExampleResult> Items)> PageAsync(string? kind, string? outcome, string? model, bool? disagree, int offset, int limit,
        CancellationToken cancellationToken)
    {
        var modelId = model is null ? -1 : _models.IndexOf(model);
        var wantRight = outcome == "right";
        var page = new List<Row>(limit);
        var total = 0;
        foreach (var row in _rows)
        {
            if (!string.IsNullOrEmpty(kind) && !string.Equals(_kinds[row.Kind], kind, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (outcome is "right" or "wrong" && !AnyAnswer(row, a => (model is null || a.Model == modelId) && a.Right == wantRight))
            {
                continue;
            }

            if (disagree == true && !(AnyAnswer(row, a => a.Right) && AnyAnswer(row, a => !a.Right)))
            {
                continue;
            }

            if (total++ >= offset && page.Count < limit)
            {
                page.Add(row);
            }
        }

        var items = new List<ExampleResult>(page.Count);
        using var file = File.OpenHandle(_path);
        foreach (var row in page)
        {
            var line = new byte[row.Length];
            await RandomAccess.ReadAsync(file, line, row.Offset, cancellationToken);
            items.Add(JsonSerializer.Deserialize<ExampleResult>(line, JsonSerializerOptions.Web)!);
        }

        return (total, items);
    }

    private bool AnyAnswer(Row row, Func<(int Model, bool Right), bool> test)
    {
        for (var i = row.FirstAnswer; i < row.FirstAnswer + row.Answers; i++)
        {
            if (test(_answers[i]))
            {
                return true;
            }
        }

        return false;
    }

    private async Task BuildAsync(Func<ModelAnswer, bool> isRight, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        int filled = 0;
        long start = 0; // file offset of buffer[0]
        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            filled += read;
            var consumed = 0;
            int newline;
            while ((newline = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n')) >= 0)
            {
                Add(buffer.AsSpan(consumed, newline), start + consumed, isRight);
                consumed += newline + 1;
            }

            if (read == 0)
            {
                if (consumed < filled)
                {
                    Add(buffer.AsSpan(consumed, filled - consumed), start + consumed, isRight); // a last line without a newline
                }

                return;
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            start += consumed;
        }
    }

    private void Add(ReadOnlySpan<byte> line, long offset, Func<ModelAnswer, bool> isRight)
    {
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            return;
        }

        var result = JsonSerializer.Deserialize<ExampleResult>(line, JsonSerializerOptions.Web)!;
        var first = _answers.Count;
        foreach (var answer in result.Answers)
        {
            _answers.Add((Intern(_models, answer.Name), isRight(answer)));
        }

        _rows.Add(new Row(offset, line.Length, Intern(_kinds, result.Kind), first, result.Answers.Count));
    }

    private static int Intern(List<string> names, string name)
    {
        var at = names.IndexOf(name);
        if (at < 0)
        {
            names.Add(name);
            at = names.Count - 1;
        }

        return at;
    }
}
