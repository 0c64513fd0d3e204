using Parquet;
using Parquet.Schema;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using VqaAspire.Api.Datasets.Sample;

namespace VqaAspire.Tests.Datasets;

/// <summary>Columns a test writes into a parquet file, row by row.</summary>
public abstract record TestColumn(string Name);

public sealed record TextColumn(string Name, params string?[] Values) : TestColumn(Name);

public sealed record IntColumn(string Name, params long?[] Values) : TestColumn(Name);

/// <summary>list&lt;string&gt; with the item field named <paramref name="ItemName"/> (element or item).</summary>
public sealed record TextListColumn(string Name, string[][] Values, string ItemName = "element") : TestColumn(Name);

/// <summary>struct{bytes, path}, as the datasets library writes an Image feature.</summary>
public sealed record ImageColumn(string Name, params byte[]?[] Values) : TestColumn(Name);

/// <summary>list&lt;struct{bytes, path}&gt;: several images per row.</summary>
public sealed record ImageListColumn(string Name, byte[][][] Values) : TestColumn(Name);

/// <summary>list&lt;struct{field}&gt; (VQAv2's answers).</summary>
public sealed record StructListColumn(string Name, string Field, string[][] Values) : TestColumn(Name);

/// <summary>Writes small parquet files and images for the dataset tests, in a temporary folder removed afterwards.</summary>
public sealed class TestFolder : IDisposable
{
    public TestFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "vqaaspire-tests", "datasets-" + Guid.NewGuid().ToString("N")[..8]);

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public static byte[] Png(int width = 8, int height = 6)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 30, 30));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public async Task<string> WriteParquetAsync(string relative, int rowGroupSize, params TestColumn[] columns)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var fields = columns.Select(ToField).ToArray();
        var schema = new ParquetSchema(fields);
        var rows = columns.Select(RowCount).Max();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        if (columns.OfType<ImageColumn>().Any())
        {
            writer.CustomMetadata = new Dictionary<string, string>
            {
                ["huggingface"] = "{\"info\": {\"features\": {\"" + columns.OfType<ImageColumn>().First().Name + "\": {\"_type\": \"Image\"}}}}",
            };
        }

        for (var start = 0; start < rows; start += rowGroupSize)
        {
            using var group = writer.CreateRowGroup();
            var dataFields = schema.DataFields;
            var f = 0;
            foreach (var column in columns)
            {
                switch (column)
                {
                    case TextColumn text:
                        await group.WriteAsync(dataFields[f++], text.Values.Skip(start).Take(rowGroupSize).ToList());
                        break;
                    case IntColumn number:
                        await group.WriteAsync<long>(dataFields[f++], number.Values.Skip(start).Take(rowGroupSize).ToArray().AsMemory());
                        break;
                    case TextListColumn list:
                        await OcrVqaParquetWriter.WriteListAsync(group, dataFields[f++], list.Values.Skip(start).Take(rowGroupSize));
                        break;
                    case StructListColumn structs:
                        await OcrVqaParquetWriter.WriteListAsync(group, dataFields[f++], structs.Values.Skip(start).Take(rowGroupSize));
                        break;
                    case ImageListColumn images:
                        var rowsOfImages = images.Values.Skip(start).Take(rowGroupSize).ToList();
                        var levels = rowsOfImages.SelectMany(r => r.Select((_, i) => i == 0 ? 0 : 1)).ToArray();
                        await group.WriteAsync(dataFields[f++], rowsOfImages.SelectMany(r => r).Select(b => (byte[]?)b).ToList(), levels);
                        await group.WriteAsync(dataFields[f++], rowsOfImages.SelectMany(r => r.Select((_, i) => (string?)$"{i}.png")).ToList(), levels);
                        break;
                    case ImageColumn image:
                        var slice = image.Values.Skip(start).Take(rowGroupSize).ToList();
                        await group.WriteAsync(dataFields[f++], slice);
                        await group.WriteAsync(dataFields[f++], slice.Select((b, i) => b is null ? null : $"{start + i}.png").ToList());
                        break;
                }
            }
        }

        return path;
    }

    private static Field ToField(TestColumn column) => column switch
    {
        TextColumn c => new DataField<string>(c.Name),
        IntColumn c => new DataField<long?>(c.Name),
        TextListColumn c => new ListField(c.Name, new DataField<string>(c.ItemName), ListField.DefaultContainerName),
        StructListColumn c => new ListField(c.Name, new StructField("element", new DataField<string>(c.Field)), ListField.DefaultContainerName),
        ImageColumn c => new StructField(c.Name, new DataField<byte[]>("bytes"), new DataField<string>("path")),
        ImageListColumn c => new ListField(c.Name, new StructField("element", new DataField<byte[]>("bytes"), new DataField<string>("path")), ListField.DefaultContainerName),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    private static int RowCount(TestColumn column) => column switch
    {
        TextColumn c => c.Values.Length,
        IntColumn c => c.Values.Length,
        TextListColumn c => c.Values.Length,
        StructListColumn c => c.Values.Length,
        ImageColumn c => c.Values.Length,
        ImageListColumn c => c.Values.Length,
        _ => 0,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A reader may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
