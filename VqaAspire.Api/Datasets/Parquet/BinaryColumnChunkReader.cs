using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using Parquet;
using Parquet.Meta;
using Parquet.Schema;
using ZstdSharp;

namespace VqaAspire.Api.Datasets.Parquet;

/// <summary>
/// Reads a binary column (a dataset's image bytes) of one row group straight from the file: the column chunk into one
/// buffer and each page decompressed into another, both kept for the next row group, and only the wanted rows' values
/// copied out. Parquet.Net reads such a column through new large-object-heap arrays for every page, several times the
/// page's size, which kept a full-scale OCR-VQA preparation above 400 MB. A layout this reader does not handle (values
/// in lists, data page v2, LZ4 or LZO, other encodings) is read by <see cref="ParquetColumnReader"/>, which takes any.
/// One instance per scan: it is not thread-safe.
/// </summary>
internal sealed class BinaryColumnChunkReader : IDisposable
{
    private const int RleEncoding = 3;

    private byte[] _chunk = [];
    private byte[] _page = [];
    private byte[] _dictionary = [];
    private int[] _levels = [];
    private readonly List<(int Offset, int Length)> _dictionaryValues = [];
    private Decompressor? _zstd;

    /// <summary>Row groups whose column this reader read itself.</summary>
    public int ChunksRead { get; private set; }

    /// <summary>Row groups whose column it handed to Parquet.Net, for a layout it does not read.</summary>
    public int ChunksHandedOn { get; private set; }

    /// <summary>
    /// Each row's value as <see cref="ParquetColumnReader.ReadRowsAsync"/> gives it: a one-item list holding the bytes
    /// for a wanted row, null for a row not wanted or whose value is null.
    /// </summary>
    public async Task<List<object?>[]> ReadRowsAsync(SafeFileHandle file, ParquetRowGroupReader rowGroup, DataField field,
        IReadOnlyList<bool>? rowsWanted, CancellationToken cancellationToken)
    {
        var chunk = rowGroup.GetMetadata(field);
        var meta = chunk?.MetaData;
        if (chunk is null || meta is null || chunk.FilePath is not null || chunk.CryptoMetadata is not null || meta.Type != global::Parquet.Meta.Type.BYTE_ARRAY
            || field.MaxRepetitionLevel > 0 || !Decompresses(meta.Codec))
        {
            return await HandOnAsync(rowGroup, field, rowsWanted, cancellationToken);
        }

        long[] offsets = [meta.DictionaryPageOffset ?? 0, meta.DataPageOffset, meta.IndexPageOffset ?? 0];
        var start = offsets.Where(o => o > 0).DefaultIfEmpty(0).Min();
        var length = checked((int)meta.TotalCompressedSize);
        Grow(ref _chunk, length);
        var read = await RandomAccess.ReadAsync(file, _chunk.AsMemory(0, length), start, cancellationToken);
        if (read < length)
        {
            throw new DatasetFormatException($"Column '{field.Path}' runs past the end of the file (is it truncated?).");
        }

        var rows = Decode(length, field, meta.Codec, checked((int)rowGroup.RowCount), rowsWanted);
        if (rows is null)
        {
            return await HandOnAsync(rowGroup, field, rowsWanted, cancellationToken);
        }

        ChunksRead++;
        return rows;
    }

    public void Dispose() => _zstd?.Dispose();

    private async Task<List<object?>[]> HandOnAsync(ParquetRowGroupReader rowGroup, DataField field, IReadOnlyList<bool>? rowsWanted, CancellationToken cancellationToken)
    {
        ChunksHandedOn++;
        return await ParquetColumnReader.ReadRowsAsync(rowGroup, field, cancellationToken, rowsWanted);
    }

    private static bool Decompresses(CompressionCodec codec) => codec is CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY
        or CompressionCodec.GZIP or CompressionCodec.BROTLI or CompressionCodec.ZSTD;

    /// <summary>The rows, or null when a page is of a kind this reader leaves to Parquet.Net.</summary>
    private List<object?>[]? Decode(int chunkLength, DataField field, CompressionCodec codec, int rowCount, IReadOnlyList<bool>? rowsWanted)
    {
        var chunk = _chunk.AsSpan(0, chunkLength);
        var rows = new List<object?>[rowCount];
        var row = 0;
        var position = 0;
        var pageNumber = 0;
        _dictionaryValues.Clear();
        while (row < rowCount)
        {
            pageNumber++;
            if (position >= chunk.Length)
            {
                throw new DatasetFormatException($"Column '{field.Path}' ends after {row} of its {rowCount} rows.");
            }

            ParquetPageHeader header;
            try
            {
                header = ParquetPageHeader.Read(chunk[position..]);
            }
            catch (FormatException ex)
            {
                throw new DatasetFormatException($"Column '{field.Path}', page {pageNumber}: {ex.Message}");
            }

            var body = position + header.HeaderLength;
            if (header.CompressedSize < 0 || body + header.CompressedSize > chunk.Length)
            {
                throw new DatasetFormatException($"Column '{field.Path}', page {pageNumber} runs past the column's end (is the file truncated?).");
            }

            position = body + header.CompressedSize;
            if (header.Type is not (ParquetPageHeader.DataPage or ParquetPageHeader.DictionaryPage))
            {
                if (header.Type == ParquetPageHeader.DataPageV2)
                {
                    return null;
                }

                continue; // An index page: nothing to read.
            }

            var page = Decompress(body, header.CompressedSize, header.UncompressedSize, codec, field, pageNumber);
            if (header.Type == ParquetPageHeader.DictionaryPage)
            {
                if (header.Encoding is not (0 or 2))
                {
                    return null;
                }

                KeepDictionary(page, header.ValueCount, field, pageNumber);
                continue;
            }

            if (field.MaxDefinitionLevel > 0 && header.DefinitionLevelEncoding != RleEncoding)
            {
                return null;
            }

            var pageRows = Math.Min(header.ValueCount, rowCount - row);
            if (!ReadDataPage(page, header, field, rows.AsSpan(row, pageRows), row, rowsWanted, pageNumber))
            {
                return null;
            }

            row += pageRows;
        }

        return rows;
    }

    /// <summary>Fills one data page's rows; false for an encoding left to Parquet.Net.</summary>
    private bool ReadDataPage(ReadOnlySpan<byte> page, ParquetPageHeader header, DataField field, Span<List<object?>> rows, int firstRow,
        IReadOnlyList<bool>? rowsWanted, int pageNumber)
    {
        var dictionaryEncoded = header.Encoding is 2 or 8; // PLAIN_DICTIONARY, RLE_DICTIONARY
        if (header.Encoding != 0 && !dictionaryEncoded)
        {
            return false;
        }

        try
        {
            var position = 0;
            // The first half holds the definition levels, the second the dictionary indexes (at most one a row).
            Grow(ref _levels, 2 * rows.Length);
            var levels = _levels.AsSpan(0, rows.Length);
            if (field.MaxDefinitionLevel > 0)
            {
                var levelBytes = BinaryPrimitives.ReadInt32LittleEndian(page);
                RleHybridDecoder.Decode(page.Slice(4, levelBytes), BitWidth(field.MaxDefinitionLevel), levels);
                position = 4 + levelBytes;
            }
            else
            {
                levels.Fill(0);
            }

            var defined = 0;
            foreach (var level in levels)
            {
                defined += level == field.MaxDefinitionLevel ? 1 : 0;
            }

            Span<int> indexes = [];
            if (dictionaryEncoded)
            {
                indexes = _levels.AsSpan(rows.Length, defined);
                RleHybridDecoder.Decode(page[(position + 1)..], page[position], indexes);
            }

            var value = 0;
            for (var r = 0; r < rows.Length; r++)
            {
                if (levels[r] != field.MaxDefinitionLevel)
                {
                    rows[r] = [null];
                    continue;
                }

                ReadOnlySpan<byte> bytes;
                if (dictionaryEncoded)
                {
                    var (offset, length) = _dictionaryValues[indexes[value]];
                    bytes = _dictionary.AsSpan(offset, length);
                }
                else
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(page[position..]);
                    bytes = page.Slice(position + 4, length);
                    position += 4 + length;
                }

                value++;
                var wanted = rowsWanted is null || (firstRow + r < rowsWanted.Count && rowsWanted[firstRow + r]);
                rows[r] = [wanted ? bytes.ToArray() : null];
            }

            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new DatasetFormatException($"Column '{field.Path}', page {pageNumber}: its values are cut short or malformed ({ex.Message}).");
        }
    }

    private void KeepDictionary(ReadOnlySpan<byte> page, int count, DataField field, int pageNumber)
    {
        Grow(ref _dictionary, page.Length);
        page.CopyTo(_dictionary);
        _dictionaryValues.Clear();
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            if (position + 4 > page.Length || BinaryPrimitives.ReadInt32LittleEndian(page[position..]) is var length && (length < 0 || position + 4 + length > page.Length))
            {
                throw new DatasetFormatException($"Column '{field.Path}', page {pageNumber}: the dictionary is cut short.");
            }

            _dictionaryValues.Add((position + 4, length));
            position += 4 + length;
        }
    }

    /// <summary>A page's body, which starts at <paramref name="offset"/> in the chunk buffer.</summary>
    private ReadOnlySpan<byte> Decompress(int offset, int compressedSize, int size, CompressionCodec codec, DataField field, int pageNumber)
    {
        var compressed = _chunk.AsSpan(offset, compressedSize);
        if (codec == CompressionCodec.UNCOMPRESSED)
        {
            return compressed;
        }

        Grow(ref _page, size);
        var output = _page.AsSpan(0, size);
        int written;
        try
        {
            written = codec switch
            {
                CompressionCodec.SNAPPY => Snappier.Snappy.Decompress(compressed, output),
                CompressionCodec.ZSTD => (_zstd ??= new Decompressor()).Unwrap(compressed, output),
                CompressionCodec.BROTLI => BrotliDecoder.TryDecompress(compressed, output, out var brotli) ? brotli : -1,
                _ => Gunzip(_chunk, offset, compressedSize, output),
            };
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or InvalidOperationException or ZstdException)
        {
            throw new DatasetFormatException($"Column '{field.Path}', page {pageNumber} does not decompress ({codec}): {ex.Message}");
        }

        if (written != size)
        {
            throw new DatasetFormatException($"Column '{field.Path}', page {pageNumber} decompresses to {written} bytes where its header says {size}.");
        }

        return output;
    }

    private static int Gunzip(byte[] buffer, int offset, int count, Span<byte> output)
    {
        using var gzip = new GZipStream(new MemoryStream(buffer, offset, count, writable: false), CompressionMode.Decompress);
        return gzip.ReadAtLeast(output, output.Length, throwOnEndOfStream: false);
    }

    private static int BitWidth(int maxLevel) => 32 - int.LeadingZeroCount(maxLevel);

    /// <summary>Buffers grow to the largest chunk or page seen (and an eighth): row groups of one dataset are alike in size.</summary>
    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length + length / 8];
        }
    }
}
