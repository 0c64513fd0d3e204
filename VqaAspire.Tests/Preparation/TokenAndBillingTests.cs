using VqaAspire.Api.Imaging;
using VqaAspire.Api.Preparation;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Preparation;

[Trait("Category", TestCategories.Unit)]
public sealed class TokenAndBillingTests
{
    [Theory]
    // OpenAI's worked examples for gpt-4o: 1024x1024 high is 765 tokens; 2048x4096 is 1105; low is always 85.
    [InlineData(1024, 1024, ImageDetail.High, 765)]
    [InlineData(2048, 4096, ImageDetail.High, 1105)]
    [InlineData(4096, 8192, ImageDetail.Low, 85)]
    [InlineData(512, 512, ImageDetail.High, 255)]
    [InlineData(300, 450, ImageDetail.Auto, 255)]
    [InlineData(513, 100, ImageDetail.High, 425)]
    public void ImageTokensFollowTheTileFormula(int width, int height, ImageDetail detail, int expected)
    {
        Assert.Equal(expected, TokenCounter.ImageTokens(width, height, detail));
    }

    [Fact]
    public void TextIsCountedWithO200k()
    {
        var counter = new TokenCounter();

        Assert.Equal(2, counter.CountText("Hello world"));
        Assert.Equal(0, counter.CountText(""));
    }

    [Theory]
    [InlineData(721, 3)]
    [InlineData(10, 10)]
    [InlineData(20, 5)]
    [InlineData(3, 25)]
    [InlineData(10_000, 2)]
    [InlineData(50_000, 1)]
    public void AutoEpochsAimAtAHundredToTwentyFiveThousandExamplesSeen(int examples, int expectedEpochs)
    {
        Assert.Equal(expectedEpochs, TrainingBilling.AutoEpochs(examples));
    }

    [Fact]
    public void FineTunedModelsArePricedFromTheirBaseSnapshot()
    {
        var pricing = new PricingOptions
        {
            Models = { ["gpt-4o-2024-08-06"] = new ModelPrice { TrainingPerMillion = 25, InputPerMillion = 2.5m, OutputPerMillion = 10, FineTunedInputPerMillion = 3.75m, FineTunedOutputPerMillion = 15 } },
        };

        var price = pricing.Find("ft:gpt-4o-2024-08-06:acme:vqa:abc123");

        Assert.NotNull(price);
        Assert.Equal(3.75m, price.InputPerMillion);
        Assert.Equal(15m, price.OutputPerMillion);
        Assert.Null(pricing.Find("claude-3"));
    }
}
