using System.Buffers.Binary;

namespace VqaAspire.Api.Datasets;

/// <summary>Reads an image's format and size from its first bytes, without decoding it.</summary>
public static class ImageHeaders
{
    // Not a u8 literal: "\x89" there would be UTF-8 encoded as two bytes.
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>image/jpeg, image/png, image/webp, image/gif, or null when the bytes are none of them.</summary>
    public static string? SniffContentType(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return "image/jpeg";
        }

        if (bytes.Length >= 8 && bytes[..8].SequenceEqual(PngSignature))
        {
            return "image/png";
        }

        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return bytes.Length >= 6 && (bytes[..6].SequenceEqual("GIF87a"u8) || bytes[..6].SequenceEqual("GIF89a"u8)) ? "image/gif" : null;
    }

    /// <summary>Width and height from a PNG IHDR or a JPEG SOF marker; null when not found.</summary>
    public static (int Width, int Height)? TryReadSize(ReadOnlySpan<byte> bytes)
    {
        var type = SniffContentType(bytes);
        if (type == "image/png" && bytes.Length >= 24)
        {
            return (BinaryPrimitives.ReadInt32BigEndian(bytes[16..20]), BinaryPrimitives.ReadInt32BigEndian(bytes[20..24]));
        }

        if (type != "image/jpeg")
        {
            return null;
        }

        var i = 2;
        while (i + 9 < bytes.Length)
        {
            if (bytes[i] != 0xFF)
            {
                return null;
            }

            var marker = bytes[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(i + 2)..]);
            // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                var height = BinaryPrimitives.ReadUInt16BigEndian(bytes[(i + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(bytes[(i + 7)..]);
                return (width, height);
            }

            i += 2 + length;
        }

        return null;
    }
}
