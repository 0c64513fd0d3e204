using System.Buffers.Binary;

namespace VqaAspire.OpenAIEmulator.Chat;

/// <summary>What the emulator needs to know about an image: format, size and colour model, read from its header.</summary>
public readonly record struct ImageInfo(string Format, int Width, int Height, string ColorMode)
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public bool IsRgbOrRgba => ColorMode is "RGB" or "RGBA";

    /// <summary>Reads a JPEG, PNG, WEBP or GIF header; null when the bytes are none of those or the header is cut short.</summary>
    public static ImageInfo? Read(ReadOnlySpan<byte> data)
    {
        try
        {
            if (data.Length >= 24 && data[..8].SequenceEqual(PngSignature))
            {
                var width = BinaryPrimitives.ReadInt32BigEndian(data[16..]);
                var height = BinaryPrimitives.ReadInt32BigEndian(data[20..]);
                var mode = data.Length > 25 ? data[25] switch
                {
                    0 => "L",
                    2 => "RGB",
                    3 => "P",
                    4 => "LA",
                    6 => "RGBA",
                    _ => "unknown",
                } : "unknown";
                return new ImageInfo("png", width, height, mode);
            }

            if (data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8)
            {
                return ReadJpeg(data);
            }

            if (data.Length >= 30 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
            {
                return ReadWebp(data);
            }

            if (data.Length >= 10 && data[..3].SequenceEqual("GIF"u8))
            {
                return new ImageInfo("gif", BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..]), "P");
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }

        return null;
    }

    private static ImageInfo? ReadJpeg(ReadOnlySpan<byte> data)
    {
        var i = 2;
        while (i + 9 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                return null;
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            // Start-of-frame markers carry the size and the number of components.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]);
                var components = data[i + 9];
                return new ImageInfo("jpeg", width, height, components switch { 1 => "L", 3 => "RGB", 4 => "CMYK", _ => "unknown" });
            }

            i += 2 + length;
        }

        return null;
    }

    private static ImageInfo? ReadWebp(ReadOnlySpan<byte> data)
    {
        var chunk = data[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
        {
            var alpha = (data[20] & 0x10) != 0;
            var width = 1 + (data[24] | data[25] << 8 | data[26] << 16);
            var height = 1 + (data[27] | data[28] << 8 | data[29] << 16);
            return new ImageInfo("webp", width, height, alpha ? "RGBA" : "RGB");
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
            return new ImageInfo("webp", (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1, "RGBA");
        }

        if (chunk.SequenceEqual("VP8 "u8))
        {
            var width = BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF;
            var height = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF;
            return new ImageInfo("webp", width, height, "RGB");
        }

        return null;
    }
}

/// <summary>Token counts as OpenAI bills them for gpt-4o, with a documented estimate for text.</summary>
public static class TokenCounts
{
    /// <summary>
    /// gpt-4o image tokens: <c>low</c> = 85. <c>high</c> (and <c>auto</c>): fit within 2048x2048, scale the shortest
    /// side down to 768, then 85 + 170 per 512 px tile.
    /// </summary>
    public static int ImageTokens(int width, int height, string? detail)
    {
        if (detail == "low")
        {
            return 85;
        }

        double w = width, h = height;
        if (w > 2048 || h > 2048)
        {
            var scale = 2048 / Math.Max(w, h);
            w *= scale;
            h *= scale;
        }

        if (Math.Min(w, h) > 768)
        {
            var scale = 768 / Math.Min(w, h);
            w *= scale;
            h *= scale;
        }

        var tiles = (int)Math.Ceiling(Math.Floor(w) / 512) * (int)Math.Ceiling(Math.Floor(h) / 512);
        return 85 + 170 * tiles;
    }

    // gpt-4o's tokenizer (o200k_base), loaded once from the package's embedded data.
    private static readonly Microsoft.ML.Tokenizers.TiktokenTokenizer Tokenizer = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForModel("gpt-4o");

    private const int PieceLength = 512;

    /// <summary>
    /// Text tokens counted with gpt-4o's o200k tokenizer, in pieces of at most 512 characters cut before a space that
    /// starts a word: the same count as the whole for ordinary text, and bounded time for a long run without spaces
    /// (BPE is quadratic in a word's length; 300 KB of base64 pasted as text would otherwise take tens of seconds).
    /// </summary>
    public static int TextTokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (text.Length <= PieceLength)
        {
            return Tokenizer.CountTokens(text);
        }

        var total = 0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var take = Math.Min(rest.Length, PieceLength);
            if (take < rest.Length)
            {
                // Cut before a space that starts a word: o200k never joins across one. Before a newline it may
                // (".\n" is one token), and so may a space before a newline.
                var space = rest[..take].LastIndexOf(' ');
                while (space > 0 && char.IsWhiteSpace(rest[space + 1]))
                {
                    space = rest[..space].LastIndexOf(' ');
                }

                if (space > 0)
                {
                    take = space;
                }
            }

            total += Tokenizer.CountTokens(rest[..take]);
            rest = rest[take..];
        }

        return total;
    }
}
