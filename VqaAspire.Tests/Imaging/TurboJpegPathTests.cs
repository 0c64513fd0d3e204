using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Api.Imaging;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Imaging;

/// <summary>The TurboJPEG fast path gives what the libvips path gives, and keeps every bad-input rule.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class TurboJpegPathTests
{
    private static readonly ImageEncoder Turbo = new(Options.Create(new ImageLimitsOptions()));
    private static readonly ImageEncoder Vips = new(Options.Create(new ImageLimitsOptions())) { UseTurboJpeg = false };
    private static readonly ImageEncodingSettings Reference = new(JpegQuality: 50);

    private static readonly string[] Covers = ["sample 0", "sample 1", "sample 2", "4:4:4 301x451", "4:2:2 299x449", "4:2:0 301x451", "grayscale 301x451", "large 800x1100"];

    [TurboJpegFact]
    public void SampleCoversComeOutAsTheLibvipsPathsDo()
    {
        foreach (var name in Covers)
        {
            var source = Cover(name);
            Assert.NotNull(TurboJpegTranscoder.ReadHeader(source));

            var fast = Turbo.Encode(source, Reference);
            var general = Vips.Encode(source, Reference);

            Assert.Null(fast.Problem);
            Assert.NotEqual(general.Jpeg, fast.Jpeg); // its own encoder ran
            Assert.Equal((general.Width, general.Height), (fast.Width, fast.Height));
            // An RGB JPEG at 4:2:0 as on the other path, whatever the source's subsampling (or grey).
            Assert.Equal(JpegColorType.YCbCrRatio420, Image.Identify(fast.Jpeg!).Metadata.GetJpegMetadata().ColorType);
            var difference = MeanAbsoluteDifference(fast.Jpeg!, general.Jpeg!);
            Assert.True(difference < 2.0, $"{name}: mean difference {difference:0.00} per channel against libvips.");
            Assert.True(MeanAbsoluteDifference(fast.Jpeg!, source) < MeanAbsoluteDifference(general.Jpeg!, source) + 1.0, $"{name}: further from the source than libvips.");
        }
    }

    [TurboJpegFact]
    public void JpegCutInHalfIsReportedAsTruncatedByTheFastPath()
    {
        var whole = TestImages.NoiseJpeg(300, 400, 6);
        var half = whole[..(whole.Length / 2)];

        var header = TurboJpegTranscoder.ReadHeader(half);
        Assert.NotNull(header);
        var (jpeg, problem) = TurboJpegTranscoder.Transcode(half, header.Value, 50);

        Assert.Null(jpeg);
        Assert.Contains("truncated", problem);
        Assert.Contains("truncated", Turbo.Encode(half, Reference).Problem);
    }

    [TurboJpegFact]
    public void AHeaderClaimingHugeDimensionsIsRefusedBeforeDecoding()
    {
        var bomb = JpegClaiming(TestImages.Jpeg(16, 16, new Rgb24(10, 20, 30)), 60_000, 60_000);
        Assert.Equal((60_000, 60_000), (TurboJpegTranscoder.ReadHeader(bomb)!.Value.Width, TurboJpegTranscoder.ReadHeader(bomb)!.Value.Height));

        var encoded = Turbo.Encode(bomb, Reference);

        Assert.Null(encoded.Jpeg);
        Assert.Contains("60000x60000", encoded.Problem);
        Assert.Contains("refused before decoding", encoded.Problem);
    }

    [TurboJpegFact]
    public void CmykPngAndGrayscalePngGoThroughLibvips()
    {
        var grayPng = Png(new Image<L8>(20, 20, new L8(90)));
        foreach (var source in new[] { TestImages.CmykRedJpeg(), TestImages.Png(8, 8, new Rgba32(0, 128, 0, 255)), grayPng })
        {
            Assert.Null(TurboJpegTranscoder.ReadHeader(source));
            var encoded = Turbo.Encode(source, Reference);
            Assert.Null(encoded.Problem);
            Assert.Equal(Vips.Encode(source, Reference).Jpeg, encoded.Jpeg);
        }
    }

    [TurboJpegFact]
    public void ACoverThatMustShrinkGoesThroughLibvips()
    {
        var source = Cover("large 800x1100");

        var encoded = Turbo.Encode(source, new ImageEncodingSettings(50, MaxSide: 512));

        Assert.Equal(512, encoded.Height);
        Assert.Equal(Vips.Encode(source, new ImageEncodingSettings(50, MaxSide: 512)).Jpeg, encoded.Jpeg);
    }

    private static byte[] Cover(string name)
    {
        if (name.StartsWith("sample", StringComparison.Ordinal))
        {
            var index = int.Parse(name[7..], System.Globalization.CultureInfo.InvariantCulture);
            return CoverRenderer.RenderJpeg($"The Title Number {index}", "A. N. Author", BookGenres.All[index % BookGenres.All.Count], index);
        }

        var parts = name.Split(' ');
        var size = parts[1].Split('x').Select(int.Parse).ToArray();
        using var image = CoverRenderer.Render("Odd Sizes", "B. Writer", BookGenres.All[1], 7);
        image.Mutate(x => x.Resize(size[0], size[1]));
        var colourType = parts[0] switch
        {
            "4:4:4" => JpegColorType.YCbCrRatio444,
            "4:2:2" => JpegColorType.YCbCrRatio422,
            "grayscale" => JpegColorType.Luminance,
            _ => JpegColorType.YCbCrRatio420,
        };
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90, ColorType = colourType });
        return stream.ToArray();
    }

    private static double MeanAbsoluteDifference(byte[] first, byte[] second)
    {
        using var a = Image.Load<Rgb24>(first);
        using var b = Image.Load<Rgb24>(second);
        long sum = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                var (p, q) = (a[x, y], b[x, y]);
                sum += Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B);
            }
        }

        return sum / (3.0 * a.Width * a.Height);
    }

    /// <summary>The JPEG with its frame header (SOF0) rewritten to claim other dimensions: a decompression bomb's shape.</summary>
    private static byte[] JpegClaiming(byte[] jpeg, int width, int height)
    {
        var copy = (byte[])jpeg.Clone();
        for (var i = 2; i + 8 < copy.Length; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC2)
            {
                // Marker, length (2), precision (1), then height and width, big endian.
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), (ushort)height);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), (ushort)width);
                return copy;
            }
        }

        throw new InvalidOperationException("No SOF0/SOF2 marker in the JPEG.");
    }

    private static byte[] Png(Image image)
    {
        using (image)
        {
            using var stream = new MemoryStream();
            image.SaveAsPng(stream);
            return stream.ToArray();
        }
    }
}
