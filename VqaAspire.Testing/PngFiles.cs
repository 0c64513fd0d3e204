using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace VqaAspire.Testing;

/// <summary>PNG files written in code, chunk by chunk, for tests and benchmarks that need exact bytes.</summary>
public static class PngFiles
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A real PNG: colour type 2 (RGB), 6 (RGBA) or 0 (greyscale), 8 bits; the seed varies the pixels.</summary>
    public static byte[] Write(int width, int height, int seed = 0, byte colorType = 2)
    {
        var channels = colorType switch { 0 => 1, 6 => 4, _ => 3 };
        var raw = new byte[(width * channels + 1) * height];
        for (var i = 0; i < raw.Length; i++)
        {
            // Each row starts with its filter byte (0, none).
            raw[i] = i % (width * channels + 1) == 0 ? (byte)0 : (byte)(i * 7 + seed);
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = colorType;
        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Writes one chunk: its length, type, data and the CRC-32 of type and data.</summary>
    public static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed.AsSpan(4));
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, ChunkCrc(typed));
        output.Write(word);
    }

    /// <summary>The CRC a chunk ends with, over its type and data (PNG's CRC-32, as zlib's).</summary>
    public static uint ChunkCrc(ReadOnlySpan<byte> typeAndData) => Crc32.HashToUInt32(typeAndData);
}
