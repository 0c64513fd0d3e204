using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;
using VqaAspire.Api.Imaging;

namespace VqaAspire.Benchmarks.Preparation;

/// <summary>
/// The candidate codecs on the same OCR-VQA-like covers, each doing what preparation needs (decode, RGB, JPEG q50
/// 4:2:0): ImageSharp (the managed codec before), libvips through the app's own encoder, and SkiaSharp. One thread
/// and every core, side by side in one run.
/// </summary>
public sealed class CodecBenchmark : IBenchmark
{
    public string Name => "codecs";

    public string Description => "ImageSharp vs libvips (NetVips) vs SkiaSharp on the same covers, 1 thread and all cores. Options: --images 600";

    public Task<int> RunAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--images");
        var count = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 600;
        var covers = Enumerable.Range(0, count).AsParallel().AsOrdered().Select(SyntheticCoverSource.Cover).ToArray();
        Console.WriteLine($"Codecs: {count} OCR-VQA-like covers ({covers.Count(c => SyntheticCoverSource.Extension(c) == ".png")} PNG), decode + RGB + JPEG q50 4:2:0, {Environment.ProcessorCount} cores.");

        var encoder = new ImageEncoder(Options.Create(new ImageLimitsOptions()));
        var settings = new ImageEncodingSettings(50);
        var candidates = new (string Name, Func<byte[], byte[]> Encode)[]
        {
            ("ImageSharp 2.1 (managed)", ImageSharpEncode),
            ($"{ImageEncoder.FastCodec} (NetVips, the app's encoder)", c => encoder.Encode(c, settings).Jpeg!),
            ("SkiaSharp 4.155 (Skia)", SkiaEncode),
        };

        Console.WriteLine($"{"",-44}{"1 thread",10}{"all cores",11}{"out KB",8}{"vs ImageSharp",15}");
        double? baseline = null;
        foreach (var (name, encode) in candidates)
        {
            foreach (var cover in covers.Take(20))
            {
                encode(cover);
            }

            var stopwatch = Stopwatch.StartNew();
            long bytes = 0;
            foreach (var cover in covers)
            {
                bytes += encode(cover).Length;
            }

            var one = count / stopwatch.Elapsed.TotalSeconds;
            stopwatch.Restart();
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k => encode(covers[k]));
            var all = count / stopwatch.Elapsed.TotalSeconds;
            baseline ??= all;
            Console.WriteLine($"{name,-44}{one,10:0}{all,11:0}{bytes / 1024.0 / count,8:0.0}{all / baseline,14:0.00}x");
        }

        return Task.FromResult(0);
    }

    private static byte[] ImageSharpEncode(byte[] source)
    {
        using var image = SixLabors.ImageSharp.Image.Load<Rgb24>(source);
        using var output = new MemoryStream();
        image.SaveAsJpeg(output, new JpegEncoder { Quality = 50, ColorType = JpegColorType.YCbCrRatio420 });
        return output.ToArray();
    }

    private static byte[] SkiaEncode(byte[] source)
    {
        using var data = SKData.CreateCopy(source);
        using var codec = SKCodec.Create(data) ?? throw new InvalidOperationException("Skia cannot read the cover.");
        var opaque = codec.Info.AlphaType == SKAlphaType.Opaque;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidOperationException($"Skia: {result}");
        }

        using var pixels = bitmap.PeekPixels();
        using var jpeg = pixels.Encode(new SKJpegEncoderOptions(50, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore));
        return jpeg?.ToArray() ?? throw new InvalidOperationException("Skia could not encode the cover.");
    }
}
