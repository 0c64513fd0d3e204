using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace VqaAspire.Api.Imaging;

/// <summary>
/// The managed codec, for what libvips does not read (BMP, TGA, PBM...) and for header reading when libvips
/// refuses a file: first frame only, alpha flattened on white, optionally resized.
/// </summary>
internal static class ImageSharpTranscoder
{
    private static readonly Configuration DecoderConfiguration = CreateConfiguration();

    /// <summary>The header: format and size, without decoding pixels; null when it is not an image ImageSharp knows.</summary>
    public static (IImageFormat Format, int Width, int Height)? Identify(byte[] source)
    {
        var info = Image.Identify(DecoderConfiguration, source, out var format);
        return info is null || format is null ? null : (format, info.Width, info.Height);
    }

    public static (byte[] Jpeg, int Width, int Height) Transcode(byte[] source, IImageFormat format, ImageEncodingSettings settings)
    {
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
        return (output.ToArray(), image.Width, image.Height);
    }

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
