using NetVips;

namespace VqaAspire.Api.Imaging;

/// <summary>
/// libvips (libjpeg-turbo, libspng, libwebp inside NetVips.Native): the fast path for JPEG, PNG, WEBP, GIF and TIFF.
/// The header is read first, so the caller can refuse a decompression bomb before a pixel is decoded.
/// </summary>
internal static class VipsTranscoder
{
    private static readonly double[] White = [255, 255, 255];

    // Held for the process's life: libvips calls it from native code.
    private static readonly Log.LogDelegate IgnoreWarnings = (_, _, _) => { };

    static VipsTranscoder()
    {
        if (!ModuleInitializer.VipsInitialized)
        {
            return;
        }

        // Before libvips allocates: glibc's arenas and thresholds suited to many short-lived image buffers.
        _ = NativeHeap.Configured;

        // Images are encoded one per core by the caller: no operation cache (it would keep source buffers alive)
        // and no worker threads inside one small image.
        Cache.Max = 0;
        Cache.MaxMem = 0;
        Cache.MaxFiles = 0;
        NetVips.NetVips.Concurrency = 1;
        // Damage is reported through the result; libvips' own warnings on stderr would only repeat it.
        Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning, IgnoreWarnings);
    }

    /// <summary>Whether the native library loaded; without it every image goes through ImageSharp.</summary>
    public static bool Available => ModuleInitializer.VipsInitialized;

    /// <summary>The loaders used; anything else libvips reads (SVG, PDF, HEIF...) is left to ImageSharp, which refuses it.</summary>
    private static readonly HashSet<string> Loaders = ["jpegload_buffer", "pngload_buffer", "webpload_buffer", "gifload_buffer", "tiffload_buffer"];

    /// <summary>The image with only its header read, or null when libvips is not the codec for it.</summary>
    public static Image? OpenHeader(byte[] source)
    {
        if (!Available)
        {
            return null;
        }

        Image? image = null;
        try
        {
            // The first page only (GIF, TIFF); a JPEG that ends early fails the decode instead of a grey bottom.
            image = Image.NewFromBuffer(source, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated);
            if (image.Get("vips-loader") is string loader && Loaders.Contains(loader))
            {
                return image;
            }
        }
        catch (VipsException)
        {
        }

        image?.Dispose();
        return null;
    }

    /// <summary>Decodes, converts to 8-bit sRGB (grey, 16-bit, CMYK through its profile), flattens alpha on white, resizes, encodes.</summary>
    public static (byte[] Jpeg, int Width, int Height) Transcode(Image header, ImageEncodingSettings settings)
    {
        var owned = new List<Image>(4);
        try
        {
            var image = header;
            if (image.Interpretation != Enums.Interpretation.Srgb || image.Format != Enums.BandFormat.Uchar)
            {
                image = Keep(owned, image.Colourspace(Enums.Interpretation.Srgb));
            }

            if (image.HasAlpha())
            {
                image = Keep(owned, image.Flatten(background: White));
            }

            if (image.Format != Enums.BandFormat.Uchar)
            {
                image = Keep(owned, image.Cast(Enums.BandFormat.Uchar));
            }

            if (settings.MaxSide is { } side && Math.Max(image.Width, image.Height) > side)
            {
                image = Keep(owned, image.ThumbnailImage(side, height: side, size: Enums.Size.Down));
            }

            var jpeg = image.JpegsaveBuffer(q: settings.JpegQuality, keep: Enums.ForeignKeep.None, subsampleMode: Enums.ForeignSubsample.On);
            return (jpeg, image.Width, image.Height);
        }
        finally
        {
            foreach (var image in owned)
            {
                image.Dispose();
            }
        }
    }

    /// <summary>How a JPEG that ends early is reported, whichever codec found it.</summary>
    public const string TruncatedProblem = "The image is truncated: its data ends before the last row of pixels.";

    /// <summary>The problem in words for a libvips failure: a cut JPEG is called truncated.</summary>
    public static string Describe(VipsException exception)
    {
        var message = exception.Message;
        if (message.Contains("premature end", StringComparison.OrdinalIgnoreCase) || message.Contains("truncated", StringComparison.OrdinalIgnoreCase)
            || message.Contains("not enough data", StringComparison.OrdinalIgnoreCase))
        {
            return TruncatedProblem;
        }

        // libvips stacks "unable to call x" over the cause; the cause is the line worth showing.
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var cause = lines.LastOrDefault(l => !l.StartsWith("unable to call", StringComparison.OrdinalIgnoreCase)) ?? lines.FirstOrDefault() ?? "unknown error";
        return $"The image cannot be decoded: {cause}";
    }

    private static Image Keep(List<Image> owned, Image image)
    {
        owned.Add(image);
        return image;
    }
}
