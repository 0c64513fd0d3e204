using VqaAspire.Api.Datasets;
using VqaAspire.Api.Preparation;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Preparation;

[Trait("Category", TestCategories.Unit)]
public sealed class SamplerTests
{
    private static readonly IReadOnlyList<VqaImageSummary> Images =
    [
        .. Enumerable.Range(0, 60).Select(i => new VqaImageSummary($"img{i:000}", [QuestionKind.Author, QuestionKind.YesNo])),
        .. Enumerable.Range(60, 30).Select(i => new VqaImageSummary($"img{i:000}", [QuestionKind.Genre, QuestionKind.Genre, QuestionKind.Title])),
        .. Enumerable.Range(90, 10).Select(i => new VqaImageSummary($"img{i:000}", [QuestionKind.Title])),
    ];

    [Fact]
    public void TheSameSeedGivesTheSameImagesInTheSameOrder()
    {
        var first = Sampler.Sample(Images, 20, 42, stratify: false).Select(i => i.ImageId);
        var second = Sampler.Sample(Images, 20, 42, stratify: false).Select(i => i.ImageId);
        var other = Sampler.Sample(Images, 20, 7, stratify: false).Select(i => i.ImageId);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(20, first.Distinct().Count());
    }

    [Fact]
    public void AskingForMoreThanThereAreGivesAll()
    {
        Assert.Equal(100, Sampler.Sample(Images, 500, 42, stratify: false).Count);
        Assert.Empty(Sampler.Sample(Images, 0, 42, stratify: false));
    }

    [Fact]
    public void StratifiedSamplingKeepsEachKindsShare()
    {
        var sample = Sampler.Sample(Images, 20, 42, stratify: true);

        Assert.Equal(20, sample.Count);
        // 60% author-led, 30% genre-led, 10% title-only images in the dataset.
        Assert.Equal(12, sample.Count(i => i.QuestionKinds.Contains(QuestionKind.Author)));
        Assert.Equal(6, sample.Count(i => i.QuestionKinds.Contains(QuestionKind.Genre)));
        Assert.Equal(2, sample.Count(i => i.QuestionKinds is [QuestionKind.Title]));
    }
}
