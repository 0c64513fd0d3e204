using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// Pages of a split's examples without scanning the split from its start: the first request for a split scans it
/// once (no image bytes) into an examples file and, for every example and for each question kind, an index of
/// where its line starts and how long it is; every page after that reads only its own lines. The index lives in the
/// workspace under a stamp of the dataset's import, so a re-import builds a fresh one.
/// </summary>
public sealed class ExamplePageIndex(WorkspaceStorage workspace)
{
    /// <summary>Bytes per index entry: the line's offset (int64) and length (int32).</summary>
    private const int EntryBytes = 12;

    private const string All = "all";

    // Builds are rare and heavy (one pass over a split): one at a time keeps memory and disk contention flat.
    private static readonly SemaphoreSlim BuildLock = new(1, 1);

    /// <summary>A page of examples: <paramref name="limit"/> from <paramref name="offset"/>, of one kind or all, and whether more follow.</summary>
    public async Task<(List<DatasetExample> Examples, bool HasMore)> PageAsync(DatasetEntry entry, ScannableVqaSource source, string split,
        QuestionKind? kind, int offset, int limit, CancellationToken cancellationToken)
    {
        var folder = await EnsureBuiltAsync(entry, source, split, cancellationToken);
        var indexPath = Path.Combine(folder, $"{split}.{kind?.ToString() ?? All}.idx");
        var examples = new List<DatasetExample>(limit);
        if (!File.Exists(indexPath))
        {
            return (examples, false); // no example of that kind
        }

        using var index = File.OpenHandle(indexPath);
        var count = RandomAccess.GetLength(index) / EntryBytes;
        if (offset >= count)
        {
            return (examples, false);
        }

        var take = (int)Math.Min(limit, count - offset);
        var entries = new byte[take * EntryBytes];
        await RandomAccess.ReadAsync(index, entries, (long)offset * EntryBytes, cancellationToken);
        using var lines = File.OpenHandle(Path.Combine(folder, $"{split}.examples.jsonl"));
        for (var i = 0; i < take; i++)
        {
            var at = BinaryPrimitives.ReadInt64LittleEndian(entries.AsSpan(i * EntryBytes));
            var length = BinaryPrimitives.ReadInt32LittleEndian(entries.AsSpan(i * EntryBytes + 8));
            var line = new byte[length];
            await RandomAccess.ReadAsync(lines, line, at, cancellationToken);
            examples.Add(JsonSerializer.Deserialize<DatasetExample>(line, JsonSerializerOptions.Web)!);
        }

        return (examples, offset + take < count);
    }

    private async Task<string> EnsureBuiltAsync(DatasetEntry entry, ScannableVqaSource source, string split, CancellationToken cancellationToken)
    {
        var folder = workspace.Resolve("indexes", "datasets", entry.Summary.Id, Stamp(entry));
        var done = Path.Combine(folder, $"{split}.done");
        if (File.Exists(done))
        {
            return folder;
        }

        await BuildLock.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(done))
            {
                Directory.CreateDirectory(folder);
                await BuildAsync(entry.Summary.Id, source, split, folder, cancellationToken);
                await File.WriteAllTextAsync(done, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
            }
        }
        finally
        {
            BuildLock.Release();
        }

        return folder;
    }

    private static async Task BuildAsync(string datasetId, ScannableVqaSource source, string split, string folder, CancellationToken cancellationToken)
    {
        var indexes = new Dictionary<string, BufferedStream>();
        try
        {
            await using var lines = new FileStream(Path.Combine(folder, $"{split}.examples.jsonl"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            var entry = new byte[EntryBytes];
            await foreach (var scanned in source.ScanAsync(split, new ScanOptions(WithImages: false), cancellationToken))
            {
                var record = scanned.Record;
                if (record.Problem is not null)
                {
                    continue;
                }

                foreach (var question in record.Questions)
                {
                    var example = new DatasetExample(record.ImageId, split, question.Text, question.Answer, question.Kind.ToString(),
                        $"/api/datasets/{Uri.EscapeDataString(datasetId)}/images/{Uri.EscapeDataString(record.ImageId)}?split={split}", record.Metadata);
                    var json = JsonSerializer.SerializeToUtf8Bytes(example, JsonSerializerOptions.Web);
                    BinaryPrimitives.WriteInt64LittleEndian(entry, lines.Position);
                    BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(8), json.Length);
                    await lines.WriteAsync(json, cancellationToken);
                    lines.WriteByte((byte)'\n');
                    Index(All).Write(entry);
                    Index(question.Kind.ToString()).Write(entry);
                }
            }
        }
        finally
        {
            foreach (var index in indexes.Values)
            {
                await index.DisposeAsync();
            }
        }

        BufferedStream Index(string name)
        {
            if (!indexes.TryGetValue(name, out var stream))
            {
                stream = new BufferedStream(new FileStream(Path.Combine(folder, $"{split}.{name}.idx"), FileMode.Create, FileAccess.Write, FileShare.None, 1), 1 << 16);
                indexes[name] = stream;
            }

            return stream;
        }
    }

    /// <summary>What the examples depend on: the import (its completion), the files and the column mapping.</summary>
    private static string Stamp(DatasetEntry entry)
    {
        var summary = entry.Summary;
        var key = $"{summary.CompletedAt?.UtcTicks};{summary.Location};{summary.Preset};{JsonSerializer.Serialize(entry.Columns)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }
}
