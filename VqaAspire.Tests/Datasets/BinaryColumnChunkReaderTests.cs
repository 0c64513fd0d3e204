using Parquet;
using Parquet.Schema;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Datasets.Parquet;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

/// <summary>
/// The image column read straight from the file (pooled buffers, wanted rows only) gives what Parquet.Net gives, for
/// every codec, dictionary pages, nulls and empty values, and hands on what it does not read itself.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class BinaryColumnChunkReaderTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(CompressionMethod.None)]
    [InlineData(CompressionMethod.Snappy)]
    [InlineData(CompressionMethod.Gzip)]
    [InlineData(CompressionMethod.Brotli)]
    [InlineData(CompressionMethod.Zstd)]
    public async Task ReadsEveryCodecAsParquetNetDoesCopyingOnlyTheWantedRows(CompressionMethod codec)
    {
        var values = Images(250);
        var path = await WriteAsync(codec, values, rowGroupSize: 100);
        var wanted = Enumerable.Range(0, 250).Select(i => i % 3 != 1).ToArray();

        var (rows, reader) = await ReadBothAsync(path, "image", "bytes", wanted);

        Assert.Equal(3, reader.ChunksRead);
        Assert.Equal(0, reader.ChunksHandedOn);
        for (var i = 0; i < values.Length; i++)
        {
            var value = Assert.Single(rows[i]);
            if (wanted[i] && values[i] is not null)
            {
                Assert.Equal(values[i], (byte[])value!);
            }
            else
            {
                Assert.Null(value);
            }
        }
    }

    [Fact]
    public async Task ReadsADictionaryEncodedColumn()
    {
        // A text column written with a dictionary page: byte arrays, as images are, looked up by index.
        string?[] labels = [.. Enumerable.Range(0, 300).Select(i => i % 17 == 0 ? null : $"label {i % 5}")];
        var path = _folder.PathOf("labels.parquet");
        var field = new DataField<string>("label");
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream,
            new ParquetOptions { ColumnEncodingHints = { ["label"] = EncodingHint.Dictionary } }))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(field, labels);
        }

        await using var parquet = await ParquetReader.CreateAsync(path);
        var metadata = parquet.OpenRowGroupReader(0).GetMetadata(parquet.Schema.DataFields[0])!.MetaData!;
        Assert.Contains(metadata.Encodings, e => e is Parquet.Meta.Encoding.RLE_DICTIONARY or Parquet.Meta.Encoding.PLAIN_DICTIONARY);

        var (rows, reader) = await ReadBothAsync(path, "label", null, wanted: null);

        Assert.Equal(1, reader.ChunksRead);
        Assert.Equal(labels.Select(l => l is null ? null : System.Text.Encoding.UTF8.GetBytes(l)), rows.Select(r => (byte[]?)Assert.Single(r)));
    }

    [Fact]
    public async Task AListOfImagesIsHandedToParquetNet()
    {
        var path = await _folder.WriteParquetAsync("many.parquet", 10,
            new ImageListColumn("images", [[TestFolder.Png(), TestFolder.Png(4, 4)], [TestFolder.Png(2, 2)]]));

        var (rows, reader) = await ReadBothAsync(path, "images", "bytes", wanted: null);

        Assert.Equal(0, reader.ChunksRead);
        Assert.Equal(1, reader.ChunksHandedOn);
        Assert.Equal([2, 1], rows.Select(r => r.Count));
    }

    [Fact]
    public async Task ACorruptPageIsAnErrorNamingTheColumnAndPageAndTheOtherRowGroupsStillRead()
    {
        var values = Images(300);
        var path = await WriteAsync(CompressionMethod.Snappy, values, rowGroupSize: 100);
        // Overwrite the second row group's image pages (past their header) with zeros.
        Parquet.Meta.ColumnMetaData chunk;
        await using (var parquet = await ParquetReader.CreateAsync(path))
        {
            chunk = parquet.OpenRowGroupReader(1).GetMetadata(parquet.Schema.DataFields[0])!.MetaData!;
        }

        await using (var file = File.OpenWrite(path))
        {
            file.Position = chunk.DataPageOffset + 40;
            file.Write(new byte[(int)chunk.TotalCompressedSize - 80]);
        }

        var source = new ParquetVqaSource(new Dictionary<string, IReadOnlyList<string>> { [VqaSplits.Train] = [path] },
            new ColumnMapping("custom", Image: "image", ImageId: "image_id", Question: "question", Answer: "answer"));
        var records = new List<ScannedRecord>();
        await foreach (var record in source.ScanAsync(VqaSplits.Train, new ScanOptions(WithImages: true), CancellationToken.None))
        {
            records.Add(record);
        }

        Assert.Equal(200, records.Count);
        Assert.Equal([.. Enumerable.Range(0, 100), .. Enumerable.Range(200, 100)], records.Select(r => int.Parse(r.Record.ImageId)));
        Assert.All(records, r => Assert.Equal(values[int.Parse(r.Record.ImageId)] is { Length: > 0 } v ? v : null, r.Record.ImageBytes));
        var (where, reason) = Assert.Single(source.FileProblems);
        Assert.Equal("images.parquet row group 2", where);
        Assert.StartsWith("Unreadable (DatasetFormatException: Column 'image/bytes', page 1 does not decompress (SNAPPY)", reason);
        Assert.EndsWith("its 100 rows are left out.", reason);
    }

    [Fact]
    public void DecodesBitPackedAndRunLengthLevels()
    {
        // The format's own example: 0..7 bit-packed in 3 bits (one group), then a run of five 4s.
        byte[] encoded = [0x03, 0x88, 0xC6, 0xFA, 0x0A, 0x04];
        var values = new int[13];

        RleHybridDecoder.Decode(encoded, 3, values);

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 4, 4, 4, 4, 4], values);
        Assert.Throws<FormatException>(() => RleHybridDecoder.Decode(encoded.AsSpan(0, 3), 3, new int[8]));
    }

    /// <summary>Covers of a few kilobytes to a few hundred, some null and one empty.</summary>
    private static byte[]?[] Images(int count)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, count).Select(i => i % 41 == 5 ? null : i == 3 ? [] : RandomBytes(random, i % 50 == 0 ? 200_000 : 1_000 + random.Next(9_000)))];
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes.AsSpan(0, length / 2)); // half random, half zeros: every codec has something to compress
        return bytes;
    }

    private async Task<string> WriteAsync(CompressionMethod codec, byte[]?[] images, int rowGroupSize)
    {
        var path = _folder.PathOf("images.parquet");
        var bytes = new DataField<byte[]>("bytes");
        var ids = new DataField<string>("image_id");
        var question = new DataField<string>("question");
        var answer = new DataField<string>("answer");
        var schema = new ParquetSchema(new StructField("image", bytes), ids, question, answer);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = codec });
        for (var start = 0; start < images.Length; start += rowGroupSize)
        {
            var rows = Enumerable.Range(start, Math.Min(rowGroupSize, images.Length - start)).ToArray();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(schema.DataFields[0], rows.Select(i => images[i]).ToArray());
            await group.WriteAsync(ids, rows.Select(i => (string?)i.ToString()).ToArray());
            await group.WriteAsync(question, rows.Select(i => (string?)$"What is {i}?").ToArray());
            await group.WriteAsync(answer, rows.Select(i => (string?)$"{i}").ToArray());
        }

        return path;
    }

    /// <summary>Every row group read both ways; asserts they agree and gives this reader's rows.</summary>
    private static async Task<(List<List<object?>> Rows, BinaryColumnChunkReader Reader)> ReadBothAsync(string path, string column, string? child, bool[]? wanted)
    {
        await using var parquet = await ParquetReader.CreateAsync(path);
        using var file = File.OpenHandle(path);
        var field = parquet.Schema.DataFields.Single(f => f.Path.ToString().StartsWith(column, StringComparison.Ordinal)
            && (child is null || f.Name == child));
        var reader = new BinaryColumnChunkReader();
        var rows = new List<List<object?>>();
        var first = 0;
        for (var g = 0; g < parquet.RowGroupCount; g++)
        {
            using var group = parquet.OpenRowGroupReader(g);
            var groupWanted = wanted?[first..(first + (int)group.RowCount)];
            var expected = await ParquetColumnReader.ReadRowsAsync(group, field, CancellationToken.None, groupWanted);
            var actual = await reader.ReadRowsAsync(file, group, field, groupWanted, CancellationToken.None);
            Assert.Equal(expected.Length, actual.Length);
            for (var r = 0; r < expected.Length; r++)
            {
                // Parquet.Net gives a text column's values as strings, this reader as their UTF-8 bytes.
                Assert.Equal(expected[r].Select(v => v is string text ? System.Text.Encoding.UTF8.GetBytes(text) : (byte[]?)v), actual[r].Select(v => (byte[]?)v));
            }

            rows.AddRange(actual);
            first += (int)group.RowCount;
        }

        reader.Dispose();
        return (rows, reader);
    }
}
