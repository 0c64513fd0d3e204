using System.Text.Json;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using VqaAspire.Tests.Imaging;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Preparation;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Preparation;

[Trait("Category", TestCategories.Unit)]
public sealed class TrainingFileValidatorTests
{
    private static readonly TrainingFileValidator Validator = new(new TokenCounter());
    private static readonly string Jpeg = "data:image/jpeg;base64," + Convert.ToBase64String(TestImages.Jpeg(64, 64, new Rgb24(10, 20, 30)));

    private static object User(string text, params string[] images) => new
    {
        role = "user",
        content = new object[] { new { type = "text", text } }.Concat(images.Select(url => (object)new { type = "image_url", image_url = new { url, detail = "low" } })).ToArray(),
    };

    private static object Message(string role, string content) => new { role, content };

    private static string Line(params object[] messages) => JsonSerializer.Serialize(new { messages });

    [Fact]
    public void AGoodLineCountsItsTokensAndImages()
    {
        var result = Validator.ValidateLine(Line(Message("system", "Answer."), User("Who wrote this book?", Jpeg), Message("assistant", "Ann Lee")), JsonlPurpose.Training);

        Assert.Null(result.Error);
        Assert.Equal(1, result.Images);
        Assert.True(result.Tokens > 85 + 3 * 3, $"{result.Tokens} tokens");
    }

    public static TheoryData<string, string> BadLines => new()
    {
        { "{not json", "invalid_json" },
        { "{\"prompt\":\"x\"}", "missing_messages" },
        { "{\"messages\":[]}", "missing_messages" },
        { Line(Message("wizard", "x")), "invalid_role" },
        { Line(Message("system", "x"), User("q", Jpeg)), "missing_assistant" },
        { Line(User("q", Jpeg), new { role = "assistant", content = new object[] { new { type = "image_url", image_url = new { url = Jpeg } } } }), "image_in_assistant" },
        { Line(User("q", Enumerable.Repeat(Jpeg, 11).ToArray()), Message("assistant", "a")), "too_many_images" },
        { Line(User("q", "data:image/jpeg;base64,AAAA"), Message("assistant", "a")), "invalid_image_data" },
        { Line(User("q", "ftp://example.com/a.jpg"), Message("assistant", "a")), "invalid_image_url" },
        { Line(User("q", "data:image/jpeg;base64," + Convert.ToBase64String(TestImages.Jpeg(16, 16, new Rgb24(1, 1, 1), JpegColorType.Luminance))), Message("assistant", "a")), "unsupported_image_mode" },
        { Line(new { role = "user", content = new object[] { new { type = "audio", data = "x" } } }, Message("assistant", "a")), "invalid_content_part" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void EachRuleNamesItself(string line, string rule)
    {
        var result = Validator.ValidateLine(line, JsonlPurpose.Training);

        Assert.Equal(rule, result.Error?.Rule);
        Assert.False(string.IsNullOrWhiteSpace(result.Error?.Message));
    }

    [Fact]
    public void AnImageOverTenMegabytesIsRefusedWithoutDecoding()
    {
        var huge = "data:image/jpeg;base64," + new string('A', 14_500_000);

        var result = Validator.ValidateLine(Line(User("q", huge), Message("assistant", "a")), JsonlPurpose.Training);

        Assert.Equal("image_too_large", result.Error?.Rule);
    }

    [Fact]
    public void ATestLineMustNotEndWithTheAnswer()
    {
        var line = Line(User("q", Jpeg), Message("assistant", "a"));

        Assert.Null(Validator.ValidateLine(Line(User("q", Jpeg)), JsonlPurpose.Test).Error);
        Assert.Equal("answer_in_test", Validator.ValidateLine(line, JsonlPurpose.Test).Error?.Rule);
    }

    [Fact]
    public async Task TheReportNamesLineAndExampleAndCountsTheFile()
    {
        var good = Line(User("q", Jpeg), Message("assistant", "a"));
        var path = Path.GetTempFileName();
        await File.WriteAllLinesAsync(path, [good, good, "{broken", good]);

        var report = await Validator.ValidateAsync(path, JsonlPurpose.Training, ["ex-1", "ex-2", "ex-3", "ex-4"], CancellationToken.None);

        Assert.Equal(4, report.Lines);
        Assert.Equal(3, report.ValidLines);
        Assert.Equal(3, report.Images);
        var error = Assert.Single(report.Errors);
        Assert.Equal((3, "ex-3", "invalid_json"), (error.Line, error.ExampleId, error.Rule));
        // Fewer than 10 examples: OpenAI refuses the file.
        Assert.Contains(report.FileErrors, e => e.Contains("at least 10"));
        Assert.False(report.IsValid);
        Assert.Equal(report.TokensTotal, report.BilledTokens);
        File.Delete(path);
    }
}
