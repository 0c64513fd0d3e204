using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Tests.Security;
using VqaAspire.Tests.Datasets;

namespace VqaAspire.Tests.Workspace;

/// <summary>
/// Every api input that names a place in the workspace, tried with ways out of it: <c>..</c>, absolute paths, a glob
/// above the root, a symbolic link to a folder outside. Each is refused with a 400 naming the field, or (names that are
/// looked up, never opened) a 404; nothing outside the workspace is read or written.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WorkspacePathTests(WorkspacePathTests.PathApi api) : IClassFixture<WorkspacePathTests.PathApi>
{
    private const string Secret = "Who wrote this book?";

    /// <summary>The api (Development, no auth) and, beside its workspace, a folder it must never reach, holding a valid manifest dataset.</summary>
    public sealed class PathApi : IAsyncLifetime
    {
        public SecuredApiFactory Host { get; } = new(new Dictionary<string, string?>(), environment: "Development");

        public TestFolder Outside { get; } = new();

        public HttpClient Client { get; private set; } = null!;

        public string Workspace => Host.Workspace.Root;

        /// <summary>The outside folder as the api would see it from its workspace root.</summary>
        public string OutsideRelative => Path.GetRelativePath(Workspace, Outside.Root).Replace('\\', '/');

        public Task InitializeAsync()
        {
            File.WriteAllBytes(Outside.PathOf("secret.png"), TestFolder.Png(11, 7));
            File.WriteAllText(Outside.PathOf("manifest.jsonl"),
                """{"image": "secret.png", "question": "Who wrote this book?", "answer": "Top Secret", "split": "train"}""" + "\n");
            Directory.CreateDirectory(Host.Workspace.PathOf("incoming"));
            // A link inside the workspace to the folder outside: what someone with a shell on the volume could leave.
            Directory.CreateSymbolicLink(Host.Workspace.PathOf("incoming/linked"), Outside.Root);
            Client = Host.Factory.CreateClient();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
            Outside.Dispose();
        }
    }

    [Fact]
    public async Task ImportLocationsThatLeaveTheWorkspaceAreRefusedByField()
    {
        string[] attempts =
        [
            "../../etc",
            "/etc",
            api.Outside.Root,
            api.OutsideRelative,
            $"incoming/../{api.OutsideRelative}",
            @"..\..\etc",
            "../*.parquet",
            "incoming/linked",
        ];

        foreach (var source in new[] { DatasetSourceKinds.Manifest, DatasetSourceKinds.Parquet })
        {
            foreach (var location in attempts)
            {
                using var response = await api.Client.PostAsJsonAsync("/api/datasets", new ImportRequest(source, Location: location));

                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{source} '{location}': {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
                Assert.Equal(["location"], problem!.Errors.Keys);
            }
        }

        Assert.DoesNotContain(Secret.ToLowerInvariant(), await api.Client.GetStringAsync("/api/datasets"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheSymbolicLinkIsNamedAsLeadingOutside()
    {
        using var response = await api.Client.PostAsJsonAsync("/api/datasets", new ImportRequest(DatasetSourceKinds.Manifest, Location: "incoming/linked"));
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("leads outside the workspace", Assert.Single(problem!.Errors["location"]));
    }

    [Fact]
    public async Task ManifestImagesOutsideTheFolderAreReportedAndNeverServed()
    {
        var folder = Host("incoming/covers");
        File.WriteAllBytes(Path.Combine(folder, "inside.png"), TestFolder.Png(16, 9));
        File.CreateSymbolicLink(Path.Combine(folder, "linked.png"), Path.Combine(api.Outside.Root, "secret.png"));
        File.WriteAllText(Path.Combine(folder, "manifest.jsonl"), string.Join('\n',
            """{"image": "inside.png", "question": "Who wrote this book?", "answer": "Anna Reed", "split": "train"}""",
            $$"""{"image": "{{Path.GetRelativePath(folder, api.Outside.PathOf("secret.png")).Replace('\\', '/')}}", "question": "Who wrote this book?", "answer": "Anna Reed", "split": "train"}""",
            $$"""{"image": "{{Path.Combine(api.Outside.Root, "secret.png")}}", "question": "Who wrote this book?", "answer": "Anna Reed", "split": "train"}""",
            """{"image": "linked.png", "question": "Who wrote this book?", "answer": "Anna Reed", "split": "train"}""") + "\n");

        using var response = await api.Client.PostAsJsonAsync("/api/datasets", new ImportRequest(DatasetSourceKinds.Manifest, Location: "incoming/covers"));
        var accepted = await response.Content.ReadFromJsonAsync<ImportAccepted>();
        var dataset = await api.Client.WaitForImportAsync(accepted!.Id);

        Assert.Equal(DatasetStatuses.Ready, dataset.Status);
        Assert.Equal(1, dataset.Splits.Single().Images);
        Assert.Equal(3, dataset.Problems.Count(p => p.Reason.Contains("leads outside the folder") || p.Reason.Contains("is absolute")));
        foreach (var problem in dataset.Problems)
        {
            using var image = await api.Client.GetAsync($"/api/datasets/{accepted.Id}/images/{Uri.EscapeDataString(problem.Where)}");
            Assert.NotEqual(HttpStatusCode.OK, image.StatusCode);
        }
    }

    [Theory]
    [InlineData("/api/runs/run-1/files/..%2F..%2F..%2Fetc%2Fpasswd", "name")]
    [InlineData("/api/runs/run-1/files/..%5Csecret.jsonl", "name")]
    [InlineData("/api/runs/..%2F..%2Fdatasets/files/train.jsonl", "id")]
    public async Task RunFileNamesThatArePathsAreRefusedByField(string url, string field)
    {
        using var response = await api.Client.GetAsync(url);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], problem!.Errors.Keys);
    }

    [Theory]
    [InlineData("/api/datasets/x/images/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/datasets/..%2F..%2Fetc/images/passwd")]
    [InlineData("/api/images/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/evaluations/..%2F..%2Fruns/export.json")]
    public async Task IdsAreLookedUpNeverOpenedAsPaths(string url)
    {
        using var response = await api.Client.GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UploadedFileNamesAreKeptInsideTheUploadFolder()
    {
        using var form = new MultipartFormDataContent();
        form.AddUploadFile("../../escape.parquet", [.. "PAR1"u8, 1, 2, 3]);
        form.AddUploadFile("/etc/cron.d/job.parquet", [.. "PAR1"u8, 4, 5, 6]);
        form.AddUploadFile(@"..\..\windows.parquet", [.. "PAR1"u8, 7, 8, 9]);

        using var response = await api.Client.PostAsync("/api/datasets/uploads?name=escape-attempt", form);
        var accepted = await response.Content.ReadFromJsonAsync<ImportAccepted>();
        var uploadFolder = Host($"datasets/{accepted!.Id}/files");
        var saved = Directory.EnumerateFiles(uploadFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(uploadFolder, f).Replace('\\', '/')).Order().ToList();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["escape.parquet", "etc/cron.d/job.parquet", "windows.parquet"], saved);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(api.Workspace)!, "escape.parquet")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(api.Workspace)!, "windows.parquet")));
    }

    [Fact]
    public async Task UploadsThatAreNotWhatTheirNameSaysOrTooLargeAreRefused()
    {
        using var renamed = new MultipartFormDataContent();
        renamed.AddUploadFile("cover.png", Encoding.ASCII.GetBytes("#!/bin/sh\necho not an image\n"));
        renamed.AddUploadFile("manifest.jsonl", Encoding.UTF8.GetBytes("""{"image": "cover.png", "question": "q?", "answer": "a", "split": "train"}""" + "\n"));
        using var oversize = new MultipartFormDataContent();
        oversize.AddUploadFile("data/train-00000-of-00001.parquet", [.. "PAR1"u8, .. new byte[SecuredApiFactory.MaxUploadBytes + 1]]);

        using var renamedResponse = await api.Client.PostAsync("/api/datasets/uploads?name=renamed", renamed);
        var renamedDataset = await api.Client.WaitForImportAsync((await renamedResponse.Content.ReadFromJsonAsync<ImportAccepted>())!.Id);
        using var oversizeResponse = await api.Client.PostAsync("/api/datasets/uploads?name=oversize", oversize);
        var oversizeProblem = await oversizeResponse.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();

        Assert.Contains(renamedDataset.Problems, p => p.Reason.Contains("'cover.png' is not a JPEG, PNG or WEBP image"));
        Assert.DoesNotContain(Directory.EnumerateFiles(api.Workspace, "cover.png", SearchOption.AllDirectories), _ => true);
        Assert.Equal(HttpStatusCode.BadRequest, oversizeResponse.StatusCode);
        Assert.Contains("the limit is", Assert.Single(oversizeProblem!.Errors["files"]));
    }

    private string Host(string relative)
    {
        var path = api.Host.Workspace.PathOf(relative);
        Directory.CreateDirectory(path);
        return path;
    }


}
