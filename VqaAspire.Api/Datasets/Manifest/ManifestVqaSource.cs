using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using VqaAspire.Api.Workspace;

namespace VqaAspire.Api.Datasets.Manifest;

/// <summary>
/// A folder of images with a manifest: <c>manifest.jsonl</c> (one object per line) or <c>manifest.csv</c> (header row),
/// each line one question: image (path relative to the folder), question, answer, split, and optionally image_id.
/// Lines naming the same image in a split become one record with several questions. A malformed line, a path that
/// leaves the folder, or an unreadable image skips that line or record with a reason; the rest goes on.
/// </summary>
public sealed class ManifestVqaSource : ScannableVqaSource
{
    /// <summary>Manifest file names looked for, in this order.</summary>
    public static readonly IReadOnlyList<string> ManifestNames = ["manifest.jsonl", "manifest.csv"];

    private const int HeaderBytes = 64 * 1024;

    private readonly string _folder;
    private readonly Dictionary<string, List<Entry>> _bySplit = [];
    private readonly List<(string Where, string Reason)> _problems = [];

    private ManifestVqaSource(string folder) => _folder = folder;

    public override IReadOnlyList<string> Splits => [.. VqaSplits.All.Where(_bySplit.ContainsKey)];

    public override IReadOnlyList<(string Where, string Reason)> FileProblems => _problems;

    /// <summary>Reads the folder's manifest; throws <see cref="DatasetFormatException"/> when there is none or its header lacks a column.</summary>
    public static ManifestVqaSource Open(string folder)
    {
        var manifest = FindManifest(folder)
            ?? throw new DatasetFormatException($"The folder has no manifest: expected one of {string.Join(", ", ManifestNames)}.");
        var source = new ManifestVqaSource(Path.GetFullPath(folder));
        var csv = manifest.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        var name = Path.GetFileName(manifest);
        var lineNumber = 0;
        string[]? header = null;
        var grouped = new Dictionary<(string Split, string Image), Entry>();
        foreach (var line in File.ReadLines(manifest, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Dictionary<string, string?>? fields;
            if (csv)
            {
                if (header is null)
                {
                    header = [.. SplitCsv(line)!.Select(h => h.Trim().ToLowerInvariant())];
                    foreach (var required in new[] { "image", "question", "answer" })
                    {
                        if (!header.Contains(required))
                        {
                            throw new DatasetFormatException($"{name} has no '{required}' column; its header is: {line}.");
                        }
                    }

                    continue;
                }

                var cells = SplitCsv(line);
                fields = cells is null || cells.Count != header.Length
                    ? null
                    : header.Zip(cells).ToDictionary(p => p.First, p => (string?)p.Second);
            }
            else
            {
                fields = ParseJsonLine(line);
            }

            var where = $"{name} line {lineNumber}";
            if (fields is null)
            {
                source._problems.Add((where, csv ? "The line is not a CSV row with the header's columns." : "The line is not a JSON object."));
                continue;
            }

            var image = fields.GetValueOrDefault("image");
            if (string.IsNullOrWhiteSpace(image))
            {
                source._problems.Add((where, "The line names no image."));
                continue;
            }

            var rawSplit = fields.GetValueOrDefault("split");
            var split = string.IsNullOrWhiteSpace(rawSplit) ? VqaSplits.Train : SplitNames.Normalize(rawSplit);
            if (split is null)
            {
                source._problems.Add((where, $"Unknown split '{rawSplit}' (train, validation/val, test)."));
                continue;
            }

            var key = (split, image.Trim());
            if (!grouped.TryGetValue(key, out var entry))
            {
                var id = fields.GetValueOrDefault("image_id") is { Length: > 0 } given ? given.Trim() : image.Trim();
                entry = grouped[key] = new Entry(id, image.Trim(), where, [], []);
                (source._bySplit.TryGetValue(split, out var list) ? list : source._bySplit[split] = []).Add(entry);
            }

            entry.Questions.Add(fields.GetValueOrDefault("question"));
            entry.Answers.Add(fields.GetValueOrDefault("answer"));
        }

        return source;
    }

    /// <summary>The manifest file of a folder, or null.</summary>
    public static string? FindManifest(string folder) =>
        ManifestNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    public override async IAsyncEnumerable<ScannedRecord> ScanAsync(string split, ScanOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_bySplit.TryGetValue(split, out var entries))
        {
            yield break;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = seen.TryGetValue(entry.ImageId, out var count) ? $"{entry.ImageId}~{count + 1}" : entry.ImageId;
            seen[entry.ImageId] = count + 1;
            if (options.ImageIds is not null && !options.ImageIds.Contains(id))
            {
                continue;
            }

            var (questions, notes, problem) = RecordBuilder.Build([.. entry.Questions], true, [.. entry.Answers], true);
            byte[]? bytes = null;
            int? width = null, height = null;
            if (options.WithImages || options.WithSizes)
            {
                var (data, imageProblem) = await ReadImageAsync(entry.Image, full: options.WithImages, cancellationToken);
                problem ??= imageProblem;
                if (data is not null && imageProblem is null)
                {
                    (width, height) = ImageHeaders.TryReadSize(data) is { } size ? size : ((int?)null, (int?)null);
                    bytes = options.WithImages ? data : null;
                }
                else if (options.WithImages && data is { Length: > 0 })
                {
                    // Not an image we know: passed through with the problem, so preparation can show what it got.
                    bytes = data;
                }
            }

            var metadata = new Dictionary<string, string> { ["image_path"] = entry.Image };
            yield return new ScannedRecord(new VqaImageRecord(id, split, bytes, questions, metadata, problem), width, height, notes);
        }
    }

    private async Task<(byte[]? Bytes, string? Problem)> ReadImageAsync(string relative, bool full, CancellationToken cancellationToken)
    {
        if (Path.IsPathRooted(relative))
        {
            return (null, $"The image path '{relative}' is absolute; paths are relative to the folder.");
        }

        var path = Path.GetFullPath(Path.Combine(_folder, relative));
        if (!path.StartsWith(_folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || !WorkspaceStorage.LinksStayInside(_folder, path))
        {
            return (null, $"The image path '{relative}' leads outside the folder.");
        }

        if (!File.Exists(path))
        {
            return (null, $"The image file '{relative}' does not exist.");
        }

        byte[] bytes;
        if (full)
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        else
        {
            await using var stream = File.OpenRead(path);
            bytes = new byte[(int)Math.Min(HeaderBytes, stream.Length)];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        if (bytes.Length == 0)
        {
            return (null, $"The image file '{relative}' is empty (0 bytes).");
        }

        return ImageHeaders.SniffContentType(bytes) switch
        {
            "image/jpeg" or "image/png" or "image/webp" => (bytes, null),
            "image/gif" => (bytes, $"The image file '{relative}' is a GIF; fine-tuning takes JPEG, PNG or WEBP."),
            _ => (bytes, $"The image file '{relative}' is not a JPEG, PNG or WEBP image (unsupported format or corrupt bytes)."),
        };
    }

    private static Dictionary<string, string?>? ParseJsonLine(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return document.RootElement.EnumerateObject().ToDictionary(
                p => p.Name.ToLowerInvariant(),
                p => p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => p.Value.GetRawText(),
                });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Splits one CSV row (RFC 4180 quoting, no line breaks inside fields); null when a quote is left open.</summary>
    public static List<string>? SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        cells.Add(cell.ToString());
        return cells;
    }

    private sealed record Entry(string ImageId, string Image, string Where, List<object?> Questions, List<object?> Answers);
}
