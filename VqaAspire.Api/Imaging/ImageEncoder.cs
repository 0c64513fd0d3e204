using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace VqaAspire.Api.Imaging;

/// <summary>The outcome of encoding one image: the JPEG, or why there is none.</summary>
public sealed record EncodedImage(byte[]? Jpeg, int Width, int Height, string? Problem)
{
    public static EncodedImage Failed(string problem) => new(null, 0, 0, problem);

    private static readonly byte[] DataUrlPrefix = "\"data:image/jpeg;base64,"u8.ToArray();

    public string ToDataUrl() => "data:image/jpeg;base64," + Convert.ToBase64String(Jpeg!);

    /// <summary>The data URL as a JSON string literal in UTF-8 (quotes included): written as is into every line that shows this image.</summary>
    public byte[] ToDataUrlJson()
    {
        var base64Length = (Jpeg!.Length + 2) / 3 * 4;
        var json = new byte[DataUrlPrefix.Length + base64Length + 1];
        DataUrlPrefix.CopyTo(json, 0);
        System.Buffers.Text.Base64.EncodeToUtf8(Jpeg, json.AsSpan(DataUrlPrefix.Length), out _, out _);
        json[^1] = (byte)'"';
        return json;
    }
}

/// <summary>
/// Turns any source image into an RGB JPEG at a quality: first frame only, CMYK, grayscale and 16-bit converted,
/// alpha flattened on white, optionally resized. Decoding is guarded by size and pixel limits.
/// </summary>
public sealed class ImageEncoder(IOptions<ImageLimitsOptions> limits)
{
    private static readonly Configuration DecoderConfiguration = CreateConfiguration();

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

        try
        {
            var info = Image.Identify(DecoderConfiguration, source, out var format);
            if (info is null || format is null)
            {
                return EncodedImage.Failed("Not an image in a supported format (JPEG, PNG, WEBP, GIF, BMP, TIFF).");
            }

            if ((long)info.Width * info.Height > max.MaxPixels)
            {
                return EncodedImage.Failed($"The image claims {info.Width}x{info.Height} pixels, over the limit of {max.MaxPixels:N0}: refused before decoding.");
            }

            using var image = Decode(source, format);
            while (image.Frames.Count > 1)
            {
                image.Frames.RemoveFrame(1);
            }

            if (settings.MaxSide is { } side && Math.Max(image.Width, image.Height) > side)
            {
                image.Mutate(x => x.Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(side, side) }));
            }

            // Metadata (EXIF, ICC) is not needed by the model and only costs bytes.
            image.Metadata.ExifProfile = null;
            image.Metadata.IccProfile = null;
            image.Metadata.XmpProfile = null;

            using var output = new MemoryStream(capacity: Math.Max(4096, source.Length / 2));
            image.SaveAsJpeg(output, new JpegEncoder { Quality = settings.JpegQuality, ColorType = JpegColorType.YCbCrRatio420 });
            var jpeg = output.ToArray();
            return jpeg.Length > max.MaxEncodedBytes
                ? new EncodedImage(null, image.Width, image.Height, $"The encoded image is {jpeg.Length / 1024.0 / 1024.0:0.0} MB, over OpenAI's 10 MB per image.")
                : new EncodedImage(jpeg, image.Width, image.Height, null);
        }
        catch (Exception ex) when (ex is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException)
        {
            return EncodedImage.Failed($"The image cannot be decoded: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or EndOfStreamException)
        {
            // Truncated or crafted files make decoders fail in many ways; none of them may stop the run.
            return EncodedImage.Failed($"The image is damaged: {ex.GetType().Name}.");
        }
    }

    /// <summary>The content hash of source bytes: the first half of the cache key.</summary>
    public static string ContentHash(ReadOnlySpan<byte> source) => Convert.ToHexStringLower(SHA256.HashData(source));

    private static Image<Rgb24> Decode(byte[] source, IImageFormat format)
    {
        if (format is JpegFormat)
        {
            // JPEG has no alpha; grayscale and CMYK sources are converted by the decoder.
            return Image.Load<Rgb24>(DecoderConfiguration, source);
        }

        // PNG, WEBP, GIF... may carry transparency, and their headers do not always say so.
        using var withAlpha = Image.Load<Rgba32>(DecoderConfiguration, source);
        return FlattenOnWhite(withAlpha);
    }

    private static Image<Rgb24> FlattenOnWhite(Image<Rgba32> image)
    {
        var flat = new Image<Rgb24>(image.Width, image.Height);
        image.ProcessPixelRows(flat, (from, to) =>
        {
            for (var y = 0; y < from.Height; y++)
            {
                var source = from.GetRowSpan(y);
                var target = to.GetRowSpan(y);
                for (var x = 0; x < source.Length; x++)
                {
                    var p = source[x];
                    var a = p.A;
                    var white = 255 - a;
                    target[x] = new Rgb24(
                        (byte)((p.R * a + 255 * white + 127) / 255),
                        (byte)((p.G * a + 255 * white + 127) / 255),
                        (byte)((p.B * a + 255 * white + 127) / 255));
                }
            }
        });
        return flat;
    }

    private static Configuration CreateConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        // ImageSharp's default pool may keep hundreds of MB; a small one keeps a long preparation's memory flat.
        configuration.MemoryAllocator = SixLabors.ImageSharp.Memory.MemoryAllocator.Create(
            new SixLabors.ImageSharp.Memory.MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 32 });
        // Animated images: the model sees one picture, so only the first frame is decoded.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder());
        configuration.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder());
        // One image per core is decoded at once; parallelism inside one image would only contend.
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }
}
