using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using VqaAspire.Api.Imaging;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Imaging;

[Trait("Category", TestCategories.Unit)]
public sealed class ImageEncoderTests
{
    private static readonly ImageEncoder Encoder = new(Options.Create(new ImageLimitsOptions()));
    private static readonly ImageEncodingSettings Reference = new(JpegQuality: 50);

    [Fact]
    public void TransparentPixelsBecomeWhiteRgbJpeg()
    {
        var encoded = Encoder.Encode(TestImages.Png(32, 32, new Rgba32(255, 0, 0, 0)), Reference);

        Assert.Null(encoded.Problem);
        using var image = Image.Load<Rgb24>(encoded.Jpeg!, out var format);
        Assert.IsType<JpegFormat>(format);
        var pixel = image[16, 16];
        Assert.True(pixel.R > 245 && pixel.G > 245 && pixel.B > 245, $"Expected white, got {pixel}.");
    }

    [Fact]
    public void HalfTransparentRedBlendsWithWhite()
    {
        var encoded = Encoder.Encode(TestImages.Png(32, 32, new Rgba32(255, 0, 0, 128)), Reference);

        using var image = Image.Load<Rgb24>(encoded.Jpeg!);
        var pixel = image[16, 16];
        Assert.InRange((int)pixel.R, 240, 255);
        Assert.InRange((int)pixel.G, 115, 140);
    }

    [Fact]
    public void GrayscaleJpegBecomesThreeChannelJpeg()
    {
        var gray = TestImages.Jpeg(40, 30, new Rgb24(90, 90, 90), JpegColorType.Luminance);

        var encoded = Encoder.Encode(gray, Reference);

        Assert.Null(encoded.Problem);
        var info = Image.Identify(encoded.Jpeg!);
        Assert.Equal(JpegColorType.YCbCrRatio420, info.Metadata.GetJpegMetadata().ColorType);
        Assert.Equal((40, 30), (encoded.Width, encoded.Height));
    }

    [Fact]
    public void SixteenBitPngIsConverted()
    {
        using var deep = new Image<Rgba64>(20, 20, new Rgba64(65535, 0, 0, 65535));
        using var stream = new MemoryStream();
        deep.SaveAsPng(stream, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });

        var encoded = Encoder.Encode(stream.ToArray(), Reference);

        Assert.Null(encoded.Problem);
        using var image = Image.Load<Rgb24>(encoded.Jpeg!);
        Assert.True(image[10, 10].R > 240);
    }

    [Fact]
    public void MaxSideShrinksTheLongestSideKeepingTheAspect()
    {
        var encoded = Encoder.Encode(TestImages.Noise(400, 200, 1), new ImageEncodingSettings(50, MaxSide: 100));

        Assert.Equal((100, 50), (encoded.Width, encoded.Height));
    }

    [Fact]
    public void LowerQualityGivesSmallerFiles()
    {
        var source = TestImages.Noise(200, 200, 2);

        var q50 = Encoder.Encode(source, new ImageEncodingSettings(50));
        var q95 = Encoder.Encode(source, new ImageEncodingSettings(95));

        Assert.True(q50.Jpeg!.Length < q95.Jpeg!.Length, $"q50 {q50.Jpeg.Length} bytes, q95 {q95.Jpeg.Length} bytes.");
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, "supported format")]
    public void BadBytesAreAProblemNotAnException(byte[] bytes, string expected)
    {
        var encoded = Encoder.Encode(bytes, Reference);

        Assert.Null(encoded.Jpeg);
        Assert.Contains(expected, encoded.Problem);
    }

    [Fact]
    public void TruncatedImageIsAProblemOrStillAnImage()
    {
        var whole = TestImages.Noise(120, 120, 3);
        var truncated = whole[..(whole.Length / 3)];

        var encoded = Encoder.Encode(truncated, Reference);

        // PNG truncated mid-data cannot be decoded: the encoder says so instead of throwing.
        Assert.Null(encoded.Jpeg);
        Assert.False(string.IsNullOrEmpty(encoded.Problem));
    }

    [Fact]
    public void JpegCutInHalfIsReportedAsTruncated()
    {
        var whole = TestImages.NoiseJpeg(300, 400, 6);

        var encoded = Encoder.Encode(whole[..(whole.Length / 2)], Reference);

        // Before libvips the bottom half came out grey and the example was trained on.
        Assert.Null(encoded.Jpeg);
        Assert.Contains("truncated", encoded.Problem);
        Assert.Null(Encoder.Encode(whole, Reference).Problem);
    }

    [Fact]
    public void CmykJpegBecomesRedRgb()
    {
        var encoded = Encoder.Encode(TestImages.CmykRedJpeg(), Reference);

        Assert.Null(encoded.Problem);
        using var image = Image.Load<Rgb24>(encoded.Jpeg!);
        var pixel = image[8, 8];
        Assert.True(pixel.R > 200 && pixel.G < 80 && pixel.B < 80, $"Expected red, got {pixel}.");
        Assert.Equal(JpegColorType.YCbCrRatio420, Image.Identify(encoded.Jpeg!).Metadata.GetJpegMetadata().ColorType);
    }

    [Fact]
    public void SixteenBitPngWithAlphaIsFlattenedOnWhite()
    {
        using var deep = new Image<Rgba64>(20, 20, new Rgba64(0, 0, 65535, 0));
        using var stream = new MemoryStream();
        deep.SaveAsPng(stream, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.RgbWithAlpha });

        var encoded = Encoder.Encode(stream.ToArray(), Reference);

        using var image = Image.Load<Rgb24>(encoded.Jpeg!);
        var pixel = image[10, 10];
        Assert.True(pixel.R > 245 && pixel.G > 245 && pixel.B > 245, $"Expected white, got {pixel}.");
    }

    [Fact]
    public void BmpStillEncodesThroughImageSharp()
    {
        using var bmp = new Image<Rgb24>(24, 16, new Rgb24(0, 200, 0));
        using var stream = new MemoryStream();
        bmp.SaveAsBmp(stream);

        var encoded = Encoder.Encode(stream.ToArray(), Reference);

        Assert.Null(encoded.Problem);
        Assert.Equal((24, 16), (encoded.Width, encoded.Height));
    }

    [Fact]
    public void TheFastCodecIsLibvips()
    {
        // Without its native library every image would silently take the managed path, several times slower.
        Assert.StartsWith("libvips", ImageEncoder.FastCodec);
    }

    [Fact]
    public void DecompressionBombIsRefusedBeforeDecoding()
    {
        var bomb = TestImages.PngClaiming(100_000, 100_000);

        var encoded = Encoder.Encode(bomb, Reference);

        Assert.Contains("100000x100000", encoded.Problem);
        Assert.Contains("refused before decoding", encoded.Problem);
    }

    [Fact]
    public void SourceOverTheByteLimitIsRefused()
    {
        var encoder = new ImageEncoder(Options.Create(new ImageLimitsOptions { MaxSourceBytes = 1000 }));

        var encoded = encoder.Encode(TestImages.Noise(100, 100, 4), Reference);

        Assert.Contains("limit", encoded.Problem);
    }

    [Fact]
    public void EncodedImageOverOpenAIsLimitIsReported()
    {
        var encoder = new ImageEncoder(Options.Create(new ImageLimitsOptions { MaxEncodedBytes = 500 }));

        var encoded = encoder.Encode(TestImages.Noise(100, 100, 5), new ImageEncodingSettings(95));

        Assert.Null(encoded.Jpeg);
        Assert.Contains("10 MB", encoded.Problem);
    }

    [Fact]
    public void DataUrlIsBase64Jpeg()
    {
        var encoded = Encoder.Encode(TestImages.Png(8, 8, new Rgba32(0, 128, 0, 255)), Reference);

        var url = encoded.ToDataUrl();

        Assert.StartsWith("data:image/jpeg;base64,", url);
        Assert.Equal(encoded.Jpeg, Convert.FromBase64String(url["data:image/jpeg;base64,".Length..]));
    }
}
