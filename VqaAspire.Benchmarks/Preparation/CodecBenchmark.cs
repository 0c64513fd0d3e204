using System.Globalization;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;
using VqaAspire.Api.Imaging;

namespace VqaAspire.Benchmarks.Preparation;

/// <summary>
/// The codecs on the same OCR-VQA-like covers, each doing what preparation needs (decode, RGB, JPEG q50 4:2:0):
/// PIL as the notebook uses it (one thread, the baseline), ImageSharp (the managed codec before), the app's encoder
/// with TurboJPEG for plain JPEGs and libvips for the rest, the app's encoder with libvips alone, and SkiaSharp. One
/// thread and every core, images/s and CPU time per image, side by side in one run.
/// </summary>
public sealed class CodecBenchmark : IBenchmark
{
    public string Name => "codecs";

    public string Description => "PIL vs TurboJPEG vs libvips (NetVips) vs ImageSharp vs SkiaSharp on the same covers, 1 thread and all cores. Options: --images 600";

    public async Task<int> RunAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--images");
        var count = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 600;
        var covers = Enumerable.Range(0, count).AsParallel().AsOrdered().Select(SyntheticCoverSource.Cover).ToArray();
        Console.WriteLine($"Codecs: {count} OCR-VQA-like covers ({covers.Count(c => SyntheticCoverSource.Extension(c) == ".png")} PNG, one in ten grayscale), " +
            $"decode + RGB + JPEG q50 4:2:0, {Environment.ProcessorCount} cores. The app: {ImageEncoder.Codecs}.");

        var work = Directory.CreateTempSubdirectory("vqa-bench-codecs-");
        var pil = await PythonScript.RunAsync("pil_codec.py", await PythonScript.WriteCoversAsync(covers, work.FullName));
        work.Delete(recursive: true);

        var limits = Options.Create(new ImageLimitsOptions());
        var settings = new ImageEncodingSettings(50);
        var turbo = new ImageEncoder(limits);
        var vips = new ImageEncoder(limits) { UseTurboJpeg = false };
        var candidates = new List<(string Name, Func<byte[], byte[]> Encode)>();
        if (ImageEncoder.TurboJpegAvailable)
        {
            candidates.Add(("TurboJPEG planes (+ libvips for PNG), the app", c => turbo.Encode(c, settings).Jpeg!));
        }

        candidates.Add(($"{ImageEncoder.FastCodec} alone (NetVips), the app before", c => vips.Encode(c, settings).Jpeg!));
        candidates.Add(("ImageSharp 2.1 (managed)", ImageSharpEncode));
        candidates.Add(("SkiaSharp 4.155 (Skia)", SkiaEncode));

        Console.WriteLine($"{"",-48}{"1 thread",10}{"all cores",11}{"CPU ms/img",12}{"out KB",8}{"1 thread vs PIL",17}{"all cores vs PIL",18}{"PIL CPU / ours",16}");
        double? pilRate = null, pilCpu = null;
        if (pil is not null)
        {
            (pilRate, pilCpu) = (count / pil["seconds"], pil["cpu"] * 1000 / count);
            Console.WriteLine($"{"PIL (python3, 1 thread), the notebook's codec",-48}{pilRate,10:0}{"-",11}{pilCpu,12:0.00}{pil["bytes"] / 1024 / count,8:0.0}{1.0,16:0.00}x{"-",18}{1.0,15:0.00}x");
        }
        else
        {
            Console.WriteLine("PIL: python3 with PIL not found (apt-get install -y python3-pil); no ratios.");
        }

        foreach (var (name, encode) in candidates)
        {
            foreach (var cover in covers.Take(20))
            {
                encode(cover);
            }

            long bytes = 0;
            var meter = Throughput.Start();
            foreach (var cover in covers)
            {
                bytes += encode(cover).Length;
            }

            var one = meter.Stop(count);
            meter = Throughput.Start();
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k => encode(covers[k]));
            var all = meter.Stop(count);
            Console.WriteLine($"{name,-48}{one.Rate,10:0}{all.Rate,11:0}{one.CpuMs,12:0.00}{bytes / 1024.0 / count,8:0.0}{Ratio(one.Rate, pilRate),17}{Ratio(all.Rate, pilRate),18}{Ratio(pilCpu, one.CpuMs),16}");
        }

        Console.WriteLine($"load average at the end: {Throughput.LoadAverage()}");
        return 0;
    }

    private static string Ratio(double? ours, double? baseline) => ours is { } o && baseline is { } b ? $"{o / b:0.00}x" : "-";

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
