using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace VqaAspire.Api.Datasets.Sample;

/// <summary>One row of an OCR-VQA parquet shard: a cover and its aligned questions and answers.</summary>
public sealed record OcrVqaRow(
    string ImageId,
    byte[]? ImageBytes,
    IReadOnlyList<string> Questions,
    IReadOnlyList<string> Answers,
    string Title,
    string AuthorName,
    string Genre,
    int Width,
    int Height,
    string SetName);

/// <summary>Writes rows as an OCR-VQA-shaped parquet shard, <c>huggingface</c> footer included, so it reads like the real files.</summary>
public static class OcrVqaParquetWriter
{
    /// <summary>The <c>huggingface</c> footer the datasets library writes for OCR-VQA's features.</summary>
    public static readonly string FeaturesJson = JsonSerializer.Serialize(new
    {
        info = new
        {
            features = new Dictionary<string, object>
            {
                ["image"] = new Dictionary<string, string> { ["_type"] = "Image" },
                ["image_id"] = Value("string"),
                ["questions"] = Sequence("string"),
                ["answers"] = Sequence("string"),
                ["ocr_tokens"] = Sequence("string"),
                ["title"] = Value("string"),
                ["authorName"] = Value("string"),
                ["genre"] = Value("string"),
                ["image_width"] = Value("int64"),
                ["image_height"] = Value("int64"),
                ["image_url"] = Value("string"),
                ["set_name"] = Value("string"),
            },
        },
    });

    /// <param name="listItemName">Name of the lists' item field: <c>element</c> (newer writers) or <c>item</c> (older ones).</param>
    public static async Task WriteAsync(Stream output, IReadOnlyList<OcrVqaRow> rows, int rowGroupSize = 100, string listItemName = "element",
        CancellationToken cancellationToken = default)
    {
        var image = new StructField("image", new DataField<byte[]>("bytes"), new DataField<string>("path"));
        var schema = new ParquetSchema(
            image,
            new DataField<string>("image_id"),
            new ListField("questions", new DataField<string>(listItemName), ListField.DefaultContainerName),
            new ListField("answers", new DataField<string>(listItemName), ListField.DefaultContainerName),
            new ListField("ocr_tokens", new DataField<string>(listItemName), ListField.DefaultContainerName),
            new DataField<string>("title"),
            new DataField<string>("authorName"),
            new DataField<string>("genre"),
            new DataField<long?>("image_width"),
            new DataField<long?>("image_height"),
            new DataField<string>("image_url"),
            new DataField<string>("set_name"));
        var fields = schema.DataFields;

        await using var writer = await ParquetWriter.CreateAsync(schema, output, cancellationToken: cancellationToken);
        writer.CustomMetadata = new Dictionary<string, string> { [Parquet.HuggingFaceFeatures.FooterKey] = FeaturesJson };
        for (var start = 0; start < rows.Count || start == 0; start += rowGroupSize)
        {
            var group = rows.Skip(start).Take(rowGroupSize).ToList();
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync(fields[0], group.Select(r => r.ImageBytes).ToList());
            await rowGroup.WriteAsync(fields[1], group.Select(r => (string?)$"{r.ImageId}.jpg").ToList());
            await rowGroup.WriteAsync(fields[2], group.Select(r => (string?)r.ImageId).ToList());
            await WriteListAsync(rowGroup, fields[3], group.Select(r => r.Questions));
            await WriteListAsync(rowGroup, fields[4], group.Select(r => r.Answers));
            await WriteListAsync(rowGroup, fields[5], group.Select(r => (IReadOnlyList<string>)$"{r.Title} {r.AuthorName}".Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            await rowGroup.WriteAsync(fields[6], group.Select(r => (string?)r.Title).ToList());
            await rowGroup.WriteAsync(fields[7], group.Select(r => (string?)r.AuthorName).ToList());
            await rowGroup.WriteAsync(fields[8], group.Select(r => (string?)r.Genre).ToList());
            await rowGroup.WriteAsync<long>(fields[9], group.Select(r => (long?)r.Width).ToArray().AsMemory(), cancellationToken: cancellationToken);
            await rowGroup.WriteAsync<long>(fields[10], group.Select(r => (long?)r.Height).ToArray().AsMemory(), cancellationToken: cancellationToken);
            await rowGroup.WriteAsync(fields[11], group.Select(r => (string?)$"https://example.invalid/covers/{r.ImageId}.jpg").ToList());
            await rowGroup.WriteAsync(fields[12], group.Select(r => (string?)r.SetName).ToList());
            if (rows.Count == 0)
            {
                break;
            }
        }
    }

    /// <summary>Flattens per-row lists into values and repetition levels (0 starts a row, 1 continues its list).</summary>
    public static async Task WriteListAsync(ParquetRowGroupWriter rowGroup, DataField field, IEnumerable<IReadOnlyList<string>> lists)
    {
        var values = new List<string?>();
        var levels = new List<int>();
        foreach (var list in lists)
        {
            if (list.Count == 0)
            {
                // An empty list still takes a slot: a null item at repetition level 0.
                values.Add(null);
                levels.Add(0);
                continue;
            }

            for (var i = 0; i < list.Count; i++)
            {
                values.Add(list[i]);
                levels.Add(i == 0 ? 0 : 1);
            }
        }

        await rowGroup.WriteAsync(field, values, levels.ToArray());
    }

    private static Dictionary<string, string> Value(string dtype) => new() { ["dtype"] = dtype, ["_type"] = "Value" };

    private static object Sequence(string dtype) => new Dictionary<string, object> { ["feature"] = Value(dtype), ["_type"] = "Sequence" };
}
