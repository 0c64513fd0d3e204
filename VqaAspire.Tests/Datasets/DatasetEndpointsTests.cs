using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Tests.Datasets;

[Trait("Category", TestCategories.Unit)]
[Collection(ProcessWideTelemetryCollection.Name)]
public sealed class DatasetEndpointsTests(DatasetApiFixture api) : IClassFixture<DatasetApiFixture>
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task ReimportingDrawsADatasetAgainAndIsRefusedWhileItImports()
    {
        var before = await Client.WaitForImportAsync(SampleDatasetGenerator.DatasetId);

        using var started = await Client.PostAsync("/api/datasets/sample/reimport", null);
        using var twice = await Client.PostAsync("/api/datasets/sample/reimport", null);
        using var unknown = await Client.PostAsync("/api/datasets/no-such-dataset/reimport", null);
        var after = await Client.WaitForImportAsync(SampleDatasetGenerator.DatasetId);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(SampleDatasetGenerator.DatasetId, (await started.Content.ReadFromJsonAsync<ImportAccepted>())!.Id);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("importing already", await twice.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(DatasetStatuses.Ready, after.Status);
        Assert.True(after.CompletedAt > before.CompletedAt);
        Assert.Equal(before.Splits.Select(s => (s.Images, s.QaPairs)), after.Splits.Select(s => (s.Images, s.QaPairs)));
    }

    [Fact]
    public async Task AFreshMachineGetsTheSampleDatasetWithStats()
    {
        var sample = await Client.WaitForImportAsync(SampleDatasetGenerator.DatasetId);

        Assert.Equal(DatasetStatuses.Ready, sample.Status);
        Assert.Equal([200, 60, 120], sample.Splits.Select(s => s.Images));
        Assert.All(sample.Splits, s => Assert.InRange(s.QaPairs, 2 * s.Images, 7 * s.Images));
        Assert.All(sample.Splits, s => Assert.True(s.QuestionKinds["YesNo"] > 0 && s.QuestionKinds["Author"] == s.Images));
        Assert.Equal(new SizeSummary(CoverRenderer.Width, CoverRenderer.Width, CoverRenderer.Width), sample.Splits[0].Width);
        Assert.Equal(0, sample.ProblemCount);

        var list = await Client.GetFromJsonAsync<List<DatasetSummary>>("/api/datasets");
        Assert.Contains(list!, d => d.Id == SampleDatasetGenerator.DatasetId);

        // Asking for the sample again points at the same dataset instead of drawing it twice.
        var again = await Client.PostAsJsonAsync("/api/datasets", new ImportRequest(DatasetSourceKinds.Sample));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(SampleDatasetGenerator.DatasetId, (await again.Content.ReadFromJsonAsync<ImportAccepted>())!.Id);
    }

    [Fact]
    public async Task ExamplesPageByKindWithImagesThatOpen()
    {
        await Client.WaitForImportAsync(SampleDatasetGenerator.DatasetId);

        var page = await Client.GetFromJsonAsync<DatasetExamplePage>("/api/datasets/sample/examples?split=test&kind=yesno&offset=2&limit=5");
        var next = await Client.GetFromJsonAsync<DatasetExamplePage>("/api/datasets/sample/examples?split=test&kind=YesNo&offset=7&limit=5");

        Assert.Equal(5, page!.Examples.Count);
        Assert.True(page.HasMore);
        Assert.All(page.Examples, e => Assert.Contains(e.Answer, new[] { "Yes", "No" }));
        Assert.All(page.Examples, e => Assert.Equal("YesNo", e.Kind));
        Assert.Empty(page.Examples.Select(e => (e.ImageId, e.Question)).Intersect(next!.Examples.Select(e => (e.ImageId, e.Question))));

        using var image = await Client.GetAsync(page.Examples[0].ImageUrl);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0xFF, (await image.Content.ReadAsByteArrayAsync())[0]);

        using var missing = await Client.GetAsync("/api/datasets/sample/images/no-such-image?split=test");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ImportingAParquetFolderReportsBadRecordsAndKeepsTheRestAndTracesTheImport()
    {
        await api.Workspace.WriteParquetAsync("incoming/ocr/data/train-00000-of-00001.parquet", 10,
            new ImageColumn("image", TestFolder.Png(40, 60), TestFolder.Png(), null),
            new TextColumn("image_id", "good", "ragged", "no-image"),
            new TextListColumn("questions", [["Who wrote this book?", "Is this a travel book?"], ["Who wrote this book?", "What is the title of this book?"], ["Who wrote this book?"]], "item"),
            new TextListColumn("answers", [["Ruth Gray", "Yes"], ["Ruth Gray"], ["Ruth Gray"]], "item"));
        var spans = new List<Activity>();
        using var listener = ListenTo(spans);

        var response = await Client.PostAsJsonAsync("/api/datasets", new ImportRequest(DatasetSourceKinds.Parquet, "My covers", "incoming/ocr"));
        var accepted = await response.Content.ReadFromJsonAsync<ImportAccepted>();
        var dataset = await Client.WaitForImportAsync(accepted!.Id);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/datasets/{accepted.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(DatasetStatuses.Ready, dataset.Status);
        var train = Assert.Single(dataset.Splits);
        Assert.Equal((1, 2, 2), (train.Images, train.QaPairs, train.Skipped));
        Assert.Equal(new SizeSummary(40, 40, 40), train.Width);
        Assert.Contains(dataset.Problems, p => p.Where == "ragged" && p.Reason.Contains("Ragged lists"));
        Assert.Contains(dataset.Problems, p => p.Where == "no-image" && p.Reason.Contains("null"));
        var span = Assert.Single(spans, s => s.OperationName == "vqa.import" && (string?)s.GetTagItem(DatasetImporter.DatasetIdTag) == accepted.Id);
        Assert.Equal(PipelineTelemetry.Name, span.Source.Name);

        var resolver = api.Factory.Services.GetRequiredService<IDatasetSourceResolver>();
        var source = await resolver.OpenAsync(accepted.Id, CancellationToken.None);
        var records = new List<VqaImageRecord>();
        await foreach (var record in source!.ReadAsync(VqaSplits.Train, new HashSet<string> { "good" }, CancellationToken.None))
        {
            records.Add(record);
        }

        Assert.Equal("Ruth Gray", records.Single().Questions[0].Answer);
        Assert.Null(await resolver.OpenAsync("no-such-dataset", CancellationToken.None));
    }

    [Fact]
    public async Task AFolderWithAMissingColumnFailsWithTheReason()
    {
        await api.Workspace.WriteParquetAsync("incoming/nocol/data/test-00000-of-00001.parquet", 10,
            new ImageColumn("image", TestFolder.Png()), new TextColumn("question", "What is shown?"));

        var response = await Client.PostAsJsonAsync("/api/datasets", new ImportRequest(DatasetSourceKinds.Parquet, Location: "incoming/nocol", Preset: "docvqa"));
        var dataset = await Client.WaitForImportAsync((await response.Content.ReadFromJsonAsync<ImportAccepted>())!.Id);

        Assert.Equal(DatasetStatuses.Failed, dataset.Status);
        Assert.Contains("no answer column 'answers'", dataset.Error);
    }

    [Theory]
    [InlineData("""{"source": "ftp", "location": "x"}""", "source")]
    [InlineData("""{"source": "parquet", "location": "../../etc"}""", "location")]
    [InlineData("""{"source": "parquet", "location": "/etc"}""", "location")]
    [InlineData("""{"source": "parquet", "location": "no/such/folder"}""", "location")]
    [InlineData("""{"source": "parquet", "location": "incoming", "preset": "mnist"}""", "preset")]
    [InlineData("""{"source": "manifest", "location": "incoming"}""", "location")]
    [InlineData("""{"source": "huggingface", "location": "../../secrets"}""", "location")]
    [InlineData("""{"source": "sample", "sample": {"train": -1}}""", "sample")]
    public async Task BadImportRequestsAreProblemDetails(string body, string field)
    {
        Directory.CreateDirectory(api.Workspace.PathOf("incoming"));
        using var response = await Client.PostAsync("/api/datasets", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
    }

    [Theory]
    [InlineData("/api/datasets/sample/examples?split=holdout", HttpStatusCode.BadRequest)]
    [InlineData("/api/datasets/sample/examples?kind=colour", HttpStatusCode.BadRequest)]
    [InlineData("/api/datasets/sample/examples?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/datasets/sample/examples?limit=100000", HttpStatusCode.BadRequest)]
    [InlineData("/api/datasets/sample/examples?offset=-1", HttpStatusCode.BadRequest)]
    [InlineData("/api/datasets/nope/examples", HttpStatusCode.NotFound)]
    [InlineData("/api/datasets/nope", HttpStatusCode.NotFound)]
    [InlineData("/api/datasets/nope/images/x", HttpStatusCode.NotFound)]
    public async Task BadQueriesAreProblemDetailsNot500(string url, HttpStatusCode expected)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ARunningImportShowsItsProgress()
    {
        var registry = api.Factory.Services.GetRequiredService<DatasetRegistry>();
        var entry = DatasetStartup.NewSampleEntry("progress-demo", new SampleOptions(1, 0, 0), DateTimeOffset.UtcNow);
        await registry.SaveAsync(entry);

        await registry.SetProgressAsync("progress-demo", 0.4, "Downloading train-00000-of-00002.parquet (1/2 files, 10.0 MB)");
        var running = await Client.GetFromJsonAsync<DatasetSummary>("/api/datasets/progress-demo");
        await registry.UpdateAsync("progress-demo", s => s with { Status = DatasetStatuses.Ready, Progress = 1, ProgressMessage = null });
        var done = await Client.GetFromJsonAsync<DatasetSummary>("/api/datasets/progress-demo");

        Assert.Equal((0.4, "Downloading train-00000-of-00002.parquet (1/2 files, 10.0 MB)"), (running!.Progress, running.ProgressMessage));
        Assert.Equal((1.0, (string?)null), (done!.Progress, done.ProgressMessage));
    }

    [Fact]
    public async Task TheHealthCheckSeesTheImportWorker()
    {
        var worker = api.Factory.Services.GetRequiredService<DatasetImportWorker>();
        using var health = await Client.GetAsync("/health");

        Assert.True(worker.IsRunning);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheDatasetEndpoints()
    {
        var document = await Client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/datasets/{id}/examples\"", document);
        Assert.Contains("\"ImportDataset\"", document);
        Assert.Contains("\"UploadDataset\"", document);
    }

    [Fact]
    public async Task MalformedJsonIsABadRequest()
    {
        using var response = await Client.PostAsync("/api/datasets", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AHuggingFaceImportThatCannotReachTheHubFailsWithAReasonAndNeverShowsTheToken()
    {
        const string token = "hf_do_not_leak_me";
        var response = await Client.PostAsJsonAsync("/api/datasets",
            new ImportRequest(DatasetSourceKinds.HuggingFace, Location: "howard-hou/OCR-VQA", HuggingFaceToken: token));
        var id = (await response.Content.ReadFromJsonAsync<ImportAccepted>())!.Id;
        var dataset = await Client.WaitForImportAsync(id);
        var raw = await Client.GetStringAsync($"/api/datasets/{id}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(DatasetStatuses.Failed, dataset.Status);
        Assert.Contains("download failed", dataset.Error);
        Assert.DoesNotContain(token, raw);
        Assert.DoesNotContain(token, await Client.GetStringAsync("/api/datasets"));
    }

    [Fact]
    public async Task UploadedFolderWithManifestIsSavedSafelyAndImported()
    {
        using var form = new MultipartFormDataContent();
        form.AddUploadFile("covers/a.png", TestFolder.Png(16, 9));
        form.AddUploadFile("../../escape.png", TestFolder.Png());
        form.AddUploadFile("fake.png", Encoding.ASCII.GetBytes("GIF89a not a png"));
        form.AddUploadFile("run.sh", Encoding.ASCII.GetBytes("#!/bin/sh"));
        form.AddUploadFile("manifest.jsonl", Encoding.UTF8.GetBytes(
            """{"image": "covers/a.png", "question": "Who wrote this book?", "answer": "Anna Reed", "split": "train"}""" + "\n" +
            """{"image": "escape.png", "question": "Who wrote this book?", "answer": "Anna Reed", "split": "test"}""" + "\n"));

        using var response = await Client.PostAsync("/api/datasets/uploads?name=Upload%20test", form);
        var accepted = await response.Content.ReadFromJsonAsync<ImportAccepted>();
        var dataset = await Client.WaitForImportAsync(accepted!.Id);
        var files = Directory.EnumerateFiles(api.Workspace.Root, "*", SearchOption.AllDirectories).ToList();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(DatasetSourceKinds.Manifest, dataset.Source);
        Assert.Equal(DatasetStatuses.Ready, dataset.Status);
        Assert.Equal(1, dataset.Splits.Single(s => s.Split == VqaSplits.Train).Images);
        Assert.Contains(files, f => f.EndsWith($"datasets/{accepted.Id}/files/escape.png", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.EndsWith("fake.png", StringComparison.Ordinal) || f.EndsWith("run.sh", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(api.Workspace.Root)!, "escape.png")));
        Assert.Contains(dataset.Problems, p => p.Reason.Contains("fake.png") && p.Reason.Contains("not a JPEG, PNG or WEBP"));
        Assert.Contains(dataset.Problems, p => p.Reason.Contains("run.sh") && p.Reason.Contains("unsupported file type"));
    }

    [Fact]
    public async Task AnUploadWithNothingToImportLeavesNoFilesBehind()
    {
        using var form = new MultipartFormDataContent();
        form.AddUploadFile("lonely.png", TestFolder.Png());
        using var response = await Client.PostAsync("/api/datasets/uploads?name=lonely-upload", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("manifest", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(Directory.EnumerateFiles(api.Workspace.Root, "*", SearchOption.AllDirectories), f => f.EndsWith("lonely.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadsOverTheLimitOrNotMultipartAreRefused()
    {
        using var big = new MultipartFormDataContent();
        big.AddUploadFile("data/train-00000-of-00001.parquet", [.. "PAR1"u8, .. new byte[1_200_000]]);
        using var tooBig = await Client.PostAsync("/api/datasets/uploads", big);
        using var notMultipart = await Client.PostAsync("/api/datasets/uploads", new StringContent("hello"));
        using var onlyJunk = new MultipartFormDataContent();
        onlyJunk.AddUploadFile("data/train.parquet", Encoding.ASCII.GetBytes("not parquet"));
        using var junk = await Client.PostAsync("/api/datasets/uploads", onlyJunk);

        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notMultipart.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, junk.StatusCode);
        Assert.Contains("PAR1", await junk.Content.ReadAsStringAsync());
    }



    private static ActivityListener ListenTo(List<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PipelineTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
