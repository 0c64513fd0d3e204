using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;
using Parquet;
using Parquet.Schema;

namespace VqaAspire.Api.Datasets.Parquet;

/// <summary>
/// Parquet shards of a Hugging Face-style dataset (one file list per split), read one row group at a time with the
/// low-level reader: list items named <c>item</c> or <c>element</c> alike, columns mapped by a <see cref="ColumnMapping"/>.
/// </summary>
public sealed class ParquetVqaSource : ScannableVqaSource
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _shards;
    private readonly ColumnMapping _mapping;
    private readonly List<(string Where, string Reason)> _fileProblems = [];

    /// <param name="shards">Parquet files per canonical split, in read order.</param>
    /// <param name="fileProblems">Files already left out (by <see cref="FindShards"/>), reported with the import.</param>
    public ParquetVqaSource(IReadOnlyDictionary<string, IReadOnlyList<string>> shards, ColumnMapping mapping,
        IEnumerable<(string Where, string Reason)>? fileProblems = null)
    {
        _shards = shards;
        _mapping = mapping;
        _fileProblems.AddRange(fileProblems ?? []);
    }

    /// <summary>VQA accuracy counts agreeing annotators, so its presets keep every annotator's answer, repeats included.</summary>
    private bool KeepsAnnotatorRepeats => ColumnPresets.KeepsAnnotatorRepeats(_mapping.Preset);

    public override IReadOnlyList<string> Splits => [.. VqaSplits.All.Where(_shards.ContainsKey)];

    /// <summary>Files or row groups left out so far (found by <see cref="FindShards"/> or while reading).</summary>
    public override IReadOnlyList<(string Where, string Reason)> FileProblems
    {
        get
        {
            lock (_fileProblems)
            {
                return [.. _fileProblems];
            }
        }
    }

    /// <summary>
    /// The shards of a folder (any <c>*.parquet</c> below it) or a glob (<c>data/train-*.parquet</c>), grouped by the split
    /// their names say. Files whose split is not recognised are left out with a reason.
    /// </summary>
    public static (Dictionary<string, IReadOnlyList<string>> Shards, List<(string Where, string Reason)> Problems) FindShards(string folderOrGlob)
    {
        var problems = new List<(string, string)>();
        IEnumerable<string> files;
        if (Directory.Exists(folderOrGlob))
        {
            files = Directory.EnumerateFiles(folderOrGlob, "*.parquet", SearchOption.AllDirectories);
        }
        else
        {
            var folder = Path.GetDirectoryName(folderOrGlob) ?? ".";
            var pattern = Path.GetFileName(folderOrGlob);
            files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, pattern, SearchOption.TopDirectoryOnly) : [];
        }

        var bySplit = new Dictionary<string, List<string>>();
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            if (SplitNames.FromShardPath(file) is { } split)
            {
                (bySplit.TryGetValue(split, out var list) ? list : bySplit[split] = []).Add(file);
            }
            else
            {
                problems.Add((Path.GetFileName(file), "The file name names no split (train, validation/val, test); the file is left out."));
            }
        }

        return (bySplit.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value), problems);
    }

    public override async IAsyncEnumerable<ScannedRecord> ScanAsync(string split, ScanOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_shards.TryGetValue(split, out var files))
        {
            yield break;
        }

        var seenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var remaining = options.ImageIds is null ? null : new HashSet<string>(options.ImageIds, StringComparer.Ordinal);
        long rowNumber = 0;
        using var images = new BinaryColumnChunkReader();
        foreach (var file in files)
        {
            var fileName = Path.GetFileName(file);
            ParquetReader reader;
            try
            {
                reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A truncated or foreign file is left out; the other shards still count.
                AddFileProblem(fileName, $"Not a readable parquet file ({ex.GetType().Name}: {ex.Message}); the file is left out.");
                continue;
            }

            await using (reader)
            using (var handle = File.OpenHandle(file, options: FileOptions.Asynchronous))
            {
                // A column the mapping needs but the file lacks is the caller's choice of preset: that stops the read.
                var columns = ResolvedColumns.Resolve(reader, _mapping, fileName);
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var rowGroup = reader.OpenRowGroupReader(g);
                    var rowCount = (int)rowGroup.RowCount;
                    RowGroupData data;
                    try
                    {
                        data = await ReadRowGroupAsync(rowGroup, columns, (images, handle), split, rowNumber, seenIds, remaining, options, cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        AddFileProblem($"{fileName} row group {g + 1}", $"Unreadable ({ex.GetType().Name}: {ex.Message}); its {rowCount} rows are left out.");
                        rowNumber += rowCount;
                        continue;
                    }

                    rowNumber += rowCount;
                    for (var r = 0; r < rowCount; r++)
                    {
                        if (data.Wanted[r])
                        {
                            yield return BuildRecord(data, r, split, options, KeepsAnnotatorRepeats);
                            if (remaining is not null && remaining.Remove(data.Ids[r]) && remaining.Count == 0)
                            {
                                yield break;
                            }
                        }
                    }
                }
            }
        }
    }

    private void AddFileProblem(string where, string reason)
    {
        lock (_fileProblems)
        {
            if (!_fileProblems.Contains((where, reason)))
            {
                _fileProblems.Add((where, reason));
            }
        }
    }

    /// <summary>The columns of one row group that a scan needs; none but the ids when no row of it is wanted.</summary>
    private sealed record RowGroupData(
        string[] Ids,
        bool[] Wanted,
        List<object?>[] Questions,
        bool QuestionIsList,
        List<object?>[] Answers,
        bool AnswerIsList,
        List<object?>[]? Accepted,
        List<object?>[]? Choices,
        List<object?>[]? Widths,
        List<object?>[]? Heights,
        List<object?>[]? Images,
        List<(string Name, List<object?>[] Rows)> Metadata);

    private static async Task<RowGroupData> ReadRowGroupAsync(ParquetRowGroupReader rowGroup, ResolvedColumns columns,
        (BinaryColumnChunkReader Reader, SafeFileHandle File) images, string split, long firstRow,
        Dictionary<string, int> seenIds, HashSet<string>? remaining, ScanOptions options, CancellationToken cancellationToken)
    {
        var rowCount = (int)rowGroup.RowCount;
        var idValues = columns.ImageId is null ? null : await ParquetColumnReader.ReadRowsAsync(rowGroup, columns.ImageId, cancellationToken);
        var ids = new string[rowCount];
        var wanted = new bool[rowCount];
        var anyWanted = false;
        for (var r = 0; r < rowCount; r++)
        {
            var raw = idValues?[r].FirstOrDefault()?.ToString();
            var id = string.IsNullOrWhiteSpace(raw) ? $"{split}-{firstRow + r}" : raw.Trim();
            // Datasets with a row per question repeat an image's id; records still need their own.
            ids[r] = seenIds.TryGetValue(id, out var count) ? $"{id}~{count + 1}" : id;
            seenIds[id] = count + 1;
            wanted[r] = remaining is null || remaining.Contains(ids[r]);
            anyWanted |= wanted[r];
        }

        if (!anyWanted)
        {
            return new RowGroupData(ids, wanted, [], false, [], false, null, null, null, null, null, []);
        }

        async Task<List<object?>[]?> Read(DataField? field) =>
            field is null ? null : await ParquetColumnReader.ReadRowsAsync(rowGroup, field, cancellationToken);

        var widths = options.WithSizes ? await Read(columns.Width) : null;
        var heights = options.WithSizes ? await Read(columns.Height) : null;
        var readImages = options.WithImages || (options.WithSizes && (widths is null || heights is null));
        var metadata = new List<(string Name, List<object?>[] Rows)>();
        foreach (var (name, field) in columns.Metadata)
        {
            metadata.Add((name, (await Read(field))!));
        }

        return new RowGroupData(ids, wanted,
            (await Read(columns.Question))!, columns.QuestionIsList,
            (await Read(columns.Answer))!, columns.AnswerIsList,
            await Read(columns.AcceptedAnswers),
            await Read(columns.Choices),
            widths, heights,
            // Only the wanted rows' images are copied out of the row group's buffer.
            readImages ? await images.Reader.ReadRowsAsync(images.File, rowGroup, columns.ImageBytes, wanted, cancellationToken) : null,
            metadata);
    }

    private static ScannedRecord BuildRecord(RowGroupData data, int r, string split, ScanOptions options, bool keepAnnotatorRepeats)
    {
        var (built, notes, problem) = RecordBuilder.Build(data.Questions[r], data.QuestionIsList, data.Answers[r], data.AnswerIsList,
            data.Accepted?[r], data.Choices?[r], keepAnnotatorRepeats);
        byte[]? bytes = null;
        int? width = AsInt(data.Widths?[r]), height = AsInt(data.Heights?[r]);
        if (data.Images is not null)
        {
            bytes = data.Images[r].OfType<byte[]>().FirstOrDefault(b => b.Length > 0);
            if (bytes is null)
            {
                problem ??= data.Images[r].Count == 0 || data.Images[r].All(i => i is null) ? "The image is null." : "The image is empty (0 bytes).";
            }
            else if (ImageHeaders.SniffContentType(bytes) is null)
            {
                problem ??= "The image bytes are not JPEG, PNG, WEBP or GIF.";
            }
            else if (width is null || height is null)
            {
                (width, height) = ImageHeaders.TryReadSize(bytes) is { } size ? size : (width, height);
            }
        }

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, rows) in data.Metadata)
        {
            if (rows[r].Count > 0 && rows[r][0] is { } value)
            {
                meta[name] = value.ToString()!;
            }
        }

        var record = new VqaImageRecord(data.Ids[r], split, options.WithImages ? bytes : null, built, meta, problem);
        return new ScannedRecord(record, width, height, notes);
    }

    private static int? AsInt(List<object?>? values) => values is { Count: > 0 } && values[0] is long l && l is > 0 and <= int.MaxValue ? (int)l : null;

    /// <summary>The data fields of one file that the mapping names.</summary>
    private sealed record ResolvedColumns(
        DataField ImageBytes,
        DataField? ImageId,
        DataField Question,
        bool QuestionIsList,
        DataField Answer,
        bool AnswerIsList,
        DataField? AcceptedAnswers,
        DataField? Choices,
        DataField? Width,
        DataField? Height,
        IReadOnlyList<(string Name, DataField Field)> Metadata)
    {
        public static ResolvedColumns Resolve(ParquetReader reader, ColumnMapping mapping, string fileName)
        {
            var fields = reader.Schema.Fields;
            var question = Require(mapping.Question, "question");
            var answer = Require(mapping.Answer, "answer");
            var image = FindImage() ?? throw new DatasetFormatException(
                $"'{fileName}' has no image column ('{mapping.Image ?? "none named"}' is missing, the huggingface footer names none, and no column is a struct with bytes). Its columns: {ColumnList()}.");
            return new ResolvedColumns(
                image,
                mapping.ImageId is null ? null : Find(mapping.ImageId)?.Field,
                question.Field, question.IsList,
                answer.Field, answer.IsList,
                mapping.AcceptedAnswers is null ? null : Find(mapping.AcceptedAnswers)?.Field,
                mapping.Choices is null ? null : Require(mapping.Choices, "choices").Field,
                mapping.Width is null ? null : Find(mapping.Width)?.Field,
                mapping.Height is null ? null : Find(mapping.Height)?.Field,
                [.. (mapping.Metadata ?? []).Select(name => (name, Find(name)?.Field)).Where(m => m.Field is not null).Select(m => (m.name, m.Field!))]);

            (DataField Field, bool IsList) Require(string name, string role) => Find(name)
                ?? throw new DatasetFormatException($"'{fileName}' has no {role} column '{name}'. Its columns: {ColumnList()}. Choose another preset or name the column.");

            string ColumnList() => string.Join(", ", fields.Select(f => f.Name));

            DataField? FindImage()
            {
                if (mapping.Image is not null && Find(mapping.Image, "bytes") is { } named)
                {
                    return named.Field;
                }

                foreach (var name in HuggingFaceFeatures.ImageColumns(reader.CustomMetadata))
                {
                    if (Find(name, "bytes") is { } fromFooter)
                    {
                        return fromFooter.Field;
                    }
                }

                return fields.Select(f => Find(f.Name, "bytes")).FirstOrDefault(f => f?.Field.Name == "bytes")?.Field;
            }

            // A top-level column by name ("answers.answer" reaches into a list of structs); the data field that holds
            // its values, and whether each row has a list of them.
            (DataField Field, bool IsList)? Find(string name, string? defaultChild = null)
            {
                var dot = name.IndexOf('.');
                var top = dot > 0 ? name[..dot] : name;
                var child = dot > 0 ? name[(dot + 1)..] : defaultChild;
                var field = fields.FirstOrDefault(f => f.Name == top) ?? fields.FirstOrDefault(f => string.Equals(f.Name, top, StringComparison.OrdinalIgnoreCase));
                return field switch
                {
                    DataField data => (data, data.MaxRepetitionLevel > 0),
                    // Older writers name the item "item", newer ones "element": take the list's item whatever its name.
                    ListField { Item: DataField item } => (item, true),
                    ListField { Item: StructField itemStruct } => Child(itemStruct, child) is { } d ? (d, true) : null,
                    StructField structField => Child(structField, child) is { } d ? (d, d.MaxRepetitionLevel > 0) : null,
                    _ => null,
                };
            }

            static DataField? Child(StructField parent, string? name) => name is null
                ? null
                : parent.Fields.OfType<DataField>().FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        }
    }
}
