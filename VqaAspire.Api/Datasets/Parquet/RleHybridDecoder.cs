namespace VqaAspire.Api.Datasets.Parquet;

/// <summary>
/// Parquet's RLE / bit-packed hybrid encoding (definition levels, dictionary indexes): runs of one repeated value and
/// groups of eight bit-packed values, least significant bit first.
/// </summary>
internal static class RleHybridDecoder
{
    /// <summary>Decodes <paramref name="destination"/>.Length values of <paramref name="bitWidth"/> bits; throws <see cref="FormatException"/> when the data ends first.</summary>
    public static void Decode(ReadOnlySpan<byte> source, int bitWidth, Span<int> destination)
    {
        if (bitWidth is < 0 or > 32)
        {
            throw new FormatException($"A bit width of {bitWidth} is not valid.");
        }

        var position = 0;
        var written = 0;
        var valueBytes = (bitWidth + 7) / 8;
        while (written < destination.Length)
        {
            var header = ReadVarint(source, ref position);
            if ((header & 1) == 0)
            {
                // A run: the count, then the value in just enough whole bytes.
                var count = (int)Math.Min(header >> 1, (ulong)(destination.Length - written));
                if (position + valueBytes > source.Length)
                {
                    throw new FormatException("An RLE run is cut short.");
                }

                var value = 0;
                for (var b = 0; b < valueBytes; b++)
                {
                    value |= source[position + b] << (8 * b);
                }

                position += valueBytes;
                destination.Slice(written, count).Fill(value);
                written += count;
            }
            else
            {
                var groups = (int)Math.Min(header >> 1, int.MaxValue / 8);
                var byteCount = (long)groups * bitWidth;
                if (position + byteCount > source.Length)
                {
                    throw new FormatException("A bit-packed run is cut short.");
                }

                var packed = source.Slice(position, (int)byteCount);
                position += (int)byteCount;
                var count = Math.Min(groups * 8, destination.Length - written);
                var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
                for (var i = 0; i < count; i++)
                {
                    long bit = (long)i * bitWidth;
                    ulong window = 0;
                    for (var b = 0; b < 5 && (bit >> 3) + b < packed.Length; b++)
                    {
                        window |= (ulong)packed[(int)(bit >> 3) + b] << (8 * b);
                    }

                    destination[written + i] = (int)((uint)(window >> (int)(bit & 7)) & mask);
                }

                written += count;
            }
        }
    }

    /// <summary>An unsigned LEB128 varint, as run headers and the Thrift compact protocol store integers.</summary>
    internal static ulong ReadVarint(ReadOnlySpan<byte> source, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= source.Length)
            {
                throw new FormatException("The data ends inside a varint.");
            }

            var b = source[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("A varint is longer than 10 bytes.");
    }
}
