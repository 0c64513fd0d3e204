using System.Net;
using System.Net.Http.Json;
using System.Text;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

/// <summary>
/// A folder of 2,000 covers and its manifest uploads in one request: the form reader's default of 1,024 values
/// (files included) refused it with "Form value count limit 1024 exceeded".
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class FolderUploadTests(DatasetApiFixture api) : IClassFixture<DatasetApiFixture>
{
    private const int Covers = 2_000;

    [Fact]
    public async Task AFolderOf2000CoversAndItsManifestImports()
    {
        using var form = new MultipartFormDataContent();
        var manifest = new StringBuilder();
        var png = TestFolder.Png();
        for (var i = 0; i < Covers; i++)
        {
            form.AddUploadFile($"covers/{i:D4}.png", png);
            manifest.Append($$"""{"image": "covers/{{i:D4}}.png", "question": "Who wrote this book?", "answer": "Author {{i}}", "split": "{{(i % 10 == 0 ? "test" : "train")}}"}""").Append('\n');
        }

        form.AddUploadFile("manifest.jsonl", Encoding.UTF8.GetBytes(manifest.ToString()));

        using var response = await api.Client.PostAsync("/api/datasets/uploads?name=Two%20thousand%20covers", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<ImportAccepted>();
        var dataset = await api.Client.WaitForImportAsync(accepted!.Id);

        Assert.Equal(DatasetStatuses.Ready, dataset.Status);
        Assert.Equal(Covers, dataset.Splits.Sum(s => s.Images));
        Assert.Equal(0, dataset.ProblemCount);
    }
}
