using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;

namespace VqaAspire.Api.Imaging;

/// <summary>
/// Turns any source image into an RGB JPEG at a quality: first frame only, CMYK, grayscale and 16-bit converted,
/// alpha flattened on white, optionally resized. Decoding is guarded by size and pixel limits. libvips does the
/// formats it reads fast (JPEG, PNG, WEBP, GIF, TIFF); ImageSharp the rest (BMP, TGA...). Ahead of both, when
/// libturbojpeg is installed, TurboJPEG re-encodes plain YCbCr and grayscale JPEGs that need no resize (most covers).
/// </summary>
public sealed class ImageEncoder(IOptions<ImageLimitsOptions> limits)
{
    /// <summary>The codec on the fast path: "libvips" when its native library loaded, else "ImageSharp".</summary>
    public static string FastCodec => VipsTranscoder.Available ? $"libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}" : "ImageSharp";

    /// <summary>Whether TurboJPEG's library (libturbojpeg.so.0) loaded; without it JPEGs take <see cref="FastCodec"/>.</summary>
    public static bool TurboJpegAvailable => TurboJpegTranscoder.Available;

    /// <summary>The codecs in use, in words, for the startup log and the benchmarks.</summary>
    public static string Codecs => TurboJpegAvailable
        ? $"TurboJPEG (libturbojpeg.so.0) for YCbCr and grayscale JPEGs kept at their size, {FastCodec} for the rest"
        : $"{FastCodec} (libturbojpeg.so.0 not found: apt-get install libturbojpeg0 for the faster JPEG path)";

    /// <summary>False sends JPEGs through libvips even when TurboJPEG is there (the benchmarks compare both).</summary>
    public bool UseTurboJpeg { get; init; } = true;

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

        if (UseTurboJpeg && TurboJpegTranscoder.ReadHeader(source) is { } header && (settings.MaxSide is not { } side || Math.Max(header.Width, header.Height) <= side))
        {
            // The header is read, nothing decoded yet: the same bomb rule as on the other paths.
            if (BombProblem(header.Width, header.Height, max) is { } bomb)
            {
                return EncodedImage.Failed(bomb);
            }

            var (turbo, turboProblem) = TurboJpegTranscoder.Transcode(source, header, settings.JpegQuality);
            if (turboProblem is not null)
            {
                return EncodedImage.Failed(turboProblem);
            }

            if (turbo is not null)
            {
                return Result(turbo, header.Width, header.Height, max);
            }

            // Declined (a warning other than a premature end, say): libvips reads it as it always has.
        }

        using var vips = VipsTranscoder.OpenHeader(source);
        var (jpeg, width, height, problem) = vips is not null ? EncodeWithVips(vips, settings, max) : EncodeWithImageSharp(source, settings, max);
        return problem is not null ? EncodedImage.Failed(problem) : Result(jpeg!, width, height, max);
    }

    private static EncodedImage Result(byte[] jpeg, int width, int height, ImageLimitsOptions max) =>
        jpeg.Length > max.MaxEncodedBytes
            ? new EncodedImage(null, width, height, $"The encoded image is {jpeg.Length / 1024.0 / 1024.0:0.0} MB, over OpenAI's 10 MB per image.")
            : new EncodedImage(jpeg, width, height, null);

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
