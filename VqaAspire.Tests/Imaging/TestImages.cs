using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using VqaAspire.Testing;

namespace VqaAspire.Tests.Imaging;

/// <summary>Images the tests make themselves, in the formats and colour modes datasets come in.</summary>
public static class TestImages
{
    public static byte[] Png(int width, int height, Rgba32 colour)
    {
        using var image = new Image<Rgba32>(width, height, colour);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        return stream.ToArray();
    }

    public static byte[] Jpeg(int width, int height, Rgb24 colour, JpegColorType colourType = JpegColorType.YCbCrRatio420)
    {
        using var image = new Image<Rgb24>(width, height, colour);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90, ColorType = colourType });
        return stream.ToArray();
    }

    /// <summary>A picture with detail, so JPEG sizes depend on quality.</summary>
    public static byte[] Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(256), (byte)((x * 7 + seed) % 256), (byte)((y * 5) % 256));
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// A 16x16 CMYK JPEG of pure red (C=0 M=255 Y=255 K=0) as Pillow writes it (Adobe marker, inverted channels, as
    /// Photoshop does); ImageSharp cannot write CMYK, so the bytes are kept here.
    /// </summary>
    public static byte[] CmykRedJpeg() => Convert.FromBase64String(
        "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/8AAFAgAEAAQBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD9/K/n/r+f+v38oooooooooooor//Z");

    /// <summary>A detailed JPEG, so that half of its bytes hold only the top part of the picture.</summary>
    public static byte[] NoiseJpeg(int width, int height, int seed)
    {
        using var image = Image.Load<Rgb24>(Noise(width, height, seed));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    /// <summary>A valid small PNG whose header claims <paramref name="width"/> x <paramref name="height"/> pixels: a decompression bomb's shape.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var png = Png(1, 1, new Rgba32(0, 0, 0, 255));
        // IHDR data starts at byte 16: width, height (big endian), then its CRC over type + data at byte 29.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        var crc = PngFiles.ChunkCrc(png.AsSpan(12, 17));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), crc);
        return png;
    }
}
