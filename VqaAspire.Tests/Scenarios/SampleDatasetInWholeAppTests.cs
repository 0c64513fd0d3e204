using System.Net.Http.Json;
using System.Text.Json;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Scenarios;

/// <summary>The whole app on a fresh machine: the api imports the synthetic sample by itself, with no download.</summary>
[Trait("Category", TestCategories.App)]
[Collection(SharedApp.Name)]
public sealed class SampleDatasetInWholeAppTests(SharedAppFixture fixture) : WholeAppTest(fixture)
{
    private static readonly TimeSpan ImportTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TheSampleDatasetIsReadyWithExamplesAndImages()
    {
        using var api = Fixture.CreateHttpClient("api");
        var sample = await Polling.WaitAsync(
            async () => (await api.GetFromJsonAsync<List<DatasetSummary>>("/api/datasets", JsonSerializerOptions.Web))?
                .SingleOrDefault(d => d.Id == SampleDatasetGenerator.DatasetId),
            s => s is { Status: not DatasetStatuses.Importing },
            ImportTimeout,
            TimeSpan.FromMilliseconds(500));

        Assert.NotNull(sample);
        Assert.Equal(DatasetStatuses.Ready, sample.Status);
        Assert.Equal([200, 60, 120], sample.Splits.Select(s => s.Images));

        var page = await api.GetFromJsonAsync<DatasetExamplePage>("/api/datasets/sample/examples?split=train&kind=Title&limit=3", JsonSerializerOptions.Web);
        Assert.Equal(3, page!.Examples.Count);
        Assert.All(page.Examples, e => Assert.Equal("What is the title of this book?", e.Question));
        using var image = await api.GetAsync(page.Examples[0].ImageUrl);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
    }
}
