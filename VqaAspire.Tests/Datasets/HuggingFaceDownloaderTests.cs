using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Datasets.HuggingFace;
using VqaAspire.Api.Datasets.Parquet;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

/// <summary>The Hub download, offline: a local handler serves the listing and shards the test wrote.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class HuggingFaceDownloaderTests : IDisposable
{
    private const string Token = "hf_secret_test_token";
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task DownloadsEveryShardOfTheListingIntoSplitNamedFilesThatTheImporterReads()
    {
        var hub = await FakeHubAsync();
        var downloader = Downloader(hub);
        var reports = new List<DownloadProgress>();

        var files = await downloader.DownloadAsync("howard-hou/OCR-VQA", _folder.PathOf("ds"), Token, new SyncProgress(reports.Add), CancellationToken.None);

        Assert.Equal(["train-00000-of-00001.parquet", "validation-00000-of-00001.parquet"], files.Select(Path.GetFileName));
        Assert.All(hub.Requests, r => Assert.Equal(new AuthenticationHeaderValue("Bearer", Token), r.Authorization));
        Assert.DoesNotContain(hub.Requests, r => r.Uri.AbsolutePath.Contains("/extra/"));
        Assert.Equal(2, reports.Last().FilesDone);
        var (shards, _) = ParquetVqaSource.FindShards(_folder.PathOf("ds/data"));
        var source = new ParquetVqaSource(shards, ColumnPresets.Get(ColumnPresets.OcrVqa));
        var count = 0;
        await foreach (var _ in source.ListAsync(VqaSplits.Train, CancellationToken.None))
        {
            count++;
        }

        Assert.Equal(3, count);
    }

    [Fact]
    public async Task ResumesAPartialDownloadWithARangeRequest()
    {
        var hub = await FakeHubAsync();
        var shard = hub.Files["/api/datasets/howard-hou/OCR-VQA/parquet/default/train/0.parquet"];
        var target = _folder.PathOf("ds/data/train-00000-of-00001.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target + ".partial", shard[..1000]);

        await Downloader(hub).DownloadFileAsync(new Uri("https://huggingface.test/api/datasets/howard-hou/OCR-VQA/parquet/default/train/0.parquet"),
            target, null, null, CancellationToken.None);

        Assert.Equal(shard, File.ReadAllBytes(target));
        Assert.False(File.Exists(target + ".partial"));
        Assert.Equal(new RangeHeaderValue(1000, null), hub.Requests.Single().Range);
    }

    [Fact]
    public async Task ResumesAfterTheConnectionDropsMidFile()
    {
        var hub = await FakeHubAsync();
        hub.DropAfterBytes = 700;
        var target = _folder.PathOf("ds/data/train-00000-of-00001.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        await Downloader(hub).DownloadFileAsync(new Uri("https://huggingface.test/api/datasets/howard-hou/OCR-VQA/parquet/default/train/0.parquet"),
            target, null, null, CancellationToken.None);

        Assert.Equal(hub.Files["/api/datasets/howard-hou/OCR-VQA/parquet/default/train/0.parquet"], File.ReadAllBytes(target));
        Assert.True(hub.Requests.Count >= 2);
        Assert.Equal(new RangeHeaderValue(700, null), hub.Requests[1].Range);
    }

    [Fact]
    public async Task AGatedDatasetWithoutAccessSaysSo()
    {
        var hub = await FakeHubAsync();
        hub.RequireToken = true;

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() =>
            Downloader(hub).DownloadAsync("howard-hou/OCR-VQA", _folder.PathOf("ds"), null, null, CancellationToken.None));

        Assert.Contains("HTTP 401", error.Message);
        Assert.Contains("token", error.Message);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("owner/name/extra")]
    [InlineData("http://evil.test/x")]
    public async Task RefusesIdsThatAreNotOwnerSlashName(string id)
    {
        var hub = await FakeHubAsync();
        await Assert.ThrowsAsync<DatasetFormatException>(() => Downloader(hub).DownloadAsync(id, _folder.PathOf("ds"), null, null, CancellationToken.None));
        Assert.Empty(hub.Requests);
    }

    private static HuggingFaceDownloader Downloader(FakeHub hub) => new(
        new HttpClient(hub),
        Options.Create(new HuggingFaceOptions { Endpoint = "https://huggingface.test", Attempts = 3 }),
        NullLogger<HuggingFaceDownloader>.Instance);

    private static async Task<FakeHub> FakeHubAsync()
    {
        var hub = new FakeHub();
        foreach (var (split, count) in new[] { ("train", 3), ("validation", 1) })
        {
            using var stream = new MemoryStream();
            await OcrVqaParquetWriter.WriteAsync(stream, SampleDatasetGenerator.Generate(split, count, 1).ToList());
            hub.Files[$"/api/datasets/howard-hou/OCR-VQA/parquet/default/{split}/0.parquet"] = stream.ToArray();
        }

        hub.Files["/api/datasets/howard-hou/OCR-VQA/parquet"] = System.Text.Encoding.UTF8.GetBytes("""
            {"default": {"train": ["https://huggingface.test/api/datasets/howard-hou/OCR-VQA/parquet/default/train/0.parquet"],
                         "validation": ["https://huggingface.test/api/datasets/howard-hou/OCR-VQA/parquet/default/validation/0.parquet"],
                         "extra": ["https://huggingface.test/api/datasets/howard-hou/OCR-VQA/parquet/default/extra/0.parquet"]}}
            """);
        return hub;
    }

    /// <summary>Serves files by path, honours Range, can drop a connection once, and records each request.</summary>
    private sealed class FakeHub : HttpMessageHandler
    {
        public Dictionary<string, byte[]> Files { get; } = [];

        public List<(Uri Uri, AuthenticationHeaderValue? Authorization, RangeHeaderValue? Range)> Requests { get; } = [];

        public bool RequireToken { get; set; }

        public int? DropAfterBytes { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.RequestUri!, request.Headers.Authorization, request.Headers.Range));
            if (RequireToken && request.Headers.Authorization is null)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized));
            }

            if (!Files.TryGetValue(request.RequestUri!.AbsolutePath, out var body))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }

            var from = (int)(request.Headers.Range?.Ranges.Single().From ?? 0);
            var response = new HttpResponseMessage(from > 0 ? HttpStatusCode.PartialContent : HttpStatusCode.OK);
            var slice = body[from..];
            if (DropAfterBytes is { } drop && slice.Length > drop)
            {
                DropAfterBytes = null;
                response.Content = new StreamContent(new DroppingStream(slice[..drop]));
            }
            else
            {
                response.Content = new ByteArrayContent(slice);
            }

            return Task.FromResult(response);
        }
    }

    /// <summary>Yields its bytes, then fails the way a reset connection does.</summary>
    private sealed class DroppingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw new IOException("Connection reset by peer.");
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("Connection reset by peer.");
        }
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }

    public void Dispose() => _folder.Dispose();
}
