using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;

namespace VqaAspire.Api.Imaging;

/// <summary>
/// Turns any source image into an RGB JPEG at a quality: first frame only, CMYK, grayscale and 16-bit converted,
/// alpha flattened on white, optionally resized. Decoding is guarded by size and pixel limits. libvips does the
/// formats it reads fast (JPEG, PNG, WEBP, GIF, TIFF); ImageSharp the rest (BMP, TGA...).
/// </summary>
public sealed class ImageEncoder(IOptions<ImageLimitsOptions> limits)
{
    /// <summary>The codec on the fast path: "libvips" when its native library loaded, else "ImageSharp".</summary>
    public static string FastCodec => VipsTranscoder.Available ? $"libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}" : "ImageSharp";

    /// <summary>Encodes one image; never throws for bad input, the problem is in the result.</summary>
    public EncodedImage Encode(byte[] source, ImageEncodingSettings settings)
    {
        var max = limits.Value;
        if (source.Length == 0)
        {
            return EncodedImage.Failed("The image is empty (0 bytes).");
        }

        if (source.Length > max.MaxSourceBytes)
        {
            return EncodedImage.Failed($"The image is {source.Length / 1024.0 / 1024.0:0.0} MB; the limit is {max.MaxSourceBytes / 1024 / 1024} MB.");
        }

        using var vips = VipsTranscoder.OpenHeader(source);
        var (jpeg, width, height, problem) = vips is not null ? EncodeWithVips(vips, settings, max) : EncodeWithImageSharp(source, settings, max);
        if (problem is not null)
        {
            return EncodedImage.Failed(problem);
        }

        return jpeg!.Length > max.MaxEncodedBytes
            ? new EncodedImage(null, width, height, $"The encoded image is {jpeg.Length / 1024.0 / 1024.0:0.0} MB, over OpenAI's 10 MB per image.")
            : new EncodedImage(jpeg, width, height, null);
    }

    /// <summary>The content hash of source bytes: the first half of the cache key.</summary>
    public static string ContentHash(ReadOnlySpan<byte> source) => Convert.ToHexStringLower(SHA256.HashData(source));

    private static (byte[]? Jpeg, int Width, int Height, string? Problem) EncodeWithVips(NetVips.Image header, ImageEncodingSettings settings, ImageLimitsOptions max)
    {
        if (BombProblem(header.Width, header.Height, max) is { } bomb)
        {
            return (null, 0, 0, bomb);
        }

        try
        {
            var (jpeg, width, height) = VipsTranscoder.Transcode(header, settings);
            return (jpeg, width, height, null);
        }
        catch (NetVips.VipsException ex)
        {
            return (null, 0, 0, VipsTranscoder.Describe(ex));
        }
    }

    private static (byte[]? Jpeg, int Width, int Height, string? Problem) EncodeWithImageSharp(byte[] source, ImageEncodingSettings settings, ImageLimitsOptions max)
    {
        try
        {
            if (ImageSharpTranscoder.Identify(source) is not { } info)
            {
                return (null, 0, 0, "Not an image in a supported format (JPEG, PNG, WEBP, GIF, BMP, TIFF).");
            }

            if (BombProblem(info.Width, info.Height, max) is { } bomb)
            {
                return (null, 0, 0, bomb);
            }

            var (jpeg, width, height) = ImageSharpTranscoder.Transcode(source, info.Format, settings);
            return (jpeg, width, height, null);
        }
        catch (Exception ex) when (ex is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException)
        {
            return (null, 0, 0, $"The image cannot be decoded: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or EndOfStreamException)
        {
            // Truncated or crafted files make decoders fail in many ways; none of them may stop the run.
            return (null, 0, 0, $"The image is damaged: {ex.GetType().Name}.");
        }
    }

    private static string? BombProblem(int width, int height, ImageLimitsOptions max) =>
        (long)width * height > max.MaxPixels
            ? $"The image claims {width}x{height} pixels, over the limit of {max.MaxPixels:N0}: refused before decoding."
            : null;
}
