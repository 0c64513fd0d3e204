using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VqaAspire.Tests.Imaging;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Tests.Datasets;
using VqaAspire.Tests.Preparation;

namespace VqaAspire.Tests.Pipeline;

/// <summary>
/// Every bad input of the dataset and preparation steps, end to end through the api: imported, then prepared into a
/// run. Each bad record comes back with its own reason, the good ones are prepared, and no request answers 500.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class BadInputsThroughTheApiTests(DatasetApiFixture api) : IClassFixture<DatasetApiFixture>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private HttpClient Client => api.Client;

    [Fact]
    public async Task EveryBadRecordOfAParquetDatasetIsSkippedWithItsReasonAndTheGoodOnesArePrepared()
    {
        var noise = TestImages.Noise(120, 160, 7);
        string[] twoQuestions = ["Who wrote this book?", "Is this a travel book?"];
        string[] twoAnswers = ["Ruth Gray", "No"];
        var rows = new (string Id, byte[]? Image, string[] Questions, string[] Answers)[]
        {
            ("good-1", TestImages.Noise(40, 60, 1), twoQuestions, twoAnswers),
            ("good-2", TestImages.Noise(40, 60, 2), twoQuestions, twoAnswers),
            ("good-3", TestImages.Noise(40, 60, 3), twoQuestions, twoAnswers),
            ("good-4", TestImages.Noise(40, 60, 8), twoQuestions, twoAnswers),
            ("good-5", TestImages.Noise(40, 60, 9), twoQuestions, twoAnswers),
            // A valid cover over 10 MB as a source: re-encoded to a JPEG well under OpenAI's 10 MB, so it is kept.
            ("huge", FullNoisePng(2000, 1900), twoQuestions, twoAnswers),
            ("garbage", Encoding.ASCII.GetBytes("this is not an image at all"), twoQuestions, twoAnswers),
            ("truncated", noise[..(noise.Length / 3)], twoQuestions, twoAnswers),
            ("zero-bytes", [], twoQuestions, twoAnswers),
            ("bitmap", [(byte)'B', (byte)'M', 1, 2, 3, 4, 5, 6, 7, 8], twoQuestions, twoAnswers),
            ("bomb", TestImages.PngClaiming(100_000, 100_000), twoQuestions, twoAnswers),
            ("no-image", null, twoQuestions, twoAnswers),
            ("ragged", TestImages.Noise(40, 60, 5), twoQuestions, ["Ruth Gray"]),
            ("long-question", TestImages.Noise(40, 60, 6), [new string('w', 99_999) + "?", "Who wrote this book?"], ["Yes", "Ann Lee"]),
        };
        Assert.True(rows.Single(r => r.Id == "huge").Image!.Length > 10 * 1024 * 1024);
        await api.Workspace.WriteParquetAsync("incoming/bad-covers/data/train-00000-of-00001.parquet", 4,
            new ImageColumn("image", [.. rows.Select(r => r.Image)]),
            new TextColumn("image_id", [.. rows.Select(r => r.Id)]),
            new TextListColumn("questions", [.. rows.Select(r => r.Questions)], "item"),
            new TextListColumn("answers", [.. rows.Select(r => r.Answers)], "element"));

        var dataset = await ImportAsync(new ImportRequest(DatasetSourceKinds.Parquet, "Bad covers", "incoming/bad-covers"));
        var run = await PrepareAsync(new PrepareRequest(dataset.Id, new SamplingSettings(100, 0, 0), Prompt: new PromptSettings(FewShotCount: 0)));

        var reasons = Reasons(dataset, run);
        Assert.Contains("not JPEG, PNG, WEBP or GIF", reasons["garbage"]);
        Assert.Contains("cannot be decoded", reasons["truncated"]);
        Assert.Contains("empty (0 bytes)", reasons["zero-bytes"]);
        Assert.Contains("not JPEG, PNG, WEBP or GIF", reasons["bitmap"]);
        Assert.Contains("refused before decoding", reasons["bomb"]);
        Assert.Contains("null", reasons["no-image"]);
        Assert.Contains("2 questions but 1 answers", reasons["ragged"]);
        Assert.Contains("pair 1, the question is 100,000 characters long", reasons["long-question"]);
        Assert.DoesNotContain(reasons.Keys, k => k.StartsWith("good", StringComparison.Ordinal) || k.StartsWith("huge", StringComparison.Ordinal));

        // The five good covers and the huge one (two questions each) and the long-question cover's second question.
        var train = run.Preparation!.Splits.Single(s => s.Split == "train");
        Assert.Equal(6 * 2 + 1, train.Examples);
        AssertValid(train);
        var lines = (await Client.GetStringAsync($"/api/runs/{run.Id}/files/train.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(train.Examples, lines.Length);
    }

    [Fact]
    public async Task AnUploadedFolderWithBadFilesAndLinesKeepsTheGoodOnesAndPreparesThem()
    {
        var noise = TestImages.Noise(120, 160, 11);
        using var form = new MultipartFormDataContent();
        string[] good = ["a", "b", "c", "d", "e"];
        foreach (var (name, seed) in good.Select((name, i) => (name, i)))
        {
            form.AddUploadFile($"covers/{name}.png", TestImages.Noise(40, 60, 20 + seed));
        }

        form.AddUploadFile("covers/truncated.png", noise[..(noise.Length / 3)]);
        form.AddUploadFile("covers/fake.jpg", Encoding.ASCII.GetBytes("GIF89a pretending to be a JPEG"));
        form.AddUploadFile("notes.exe", [0x4D, 0x5A, 0x90, 0x00]);
        form.AddUploadFile("../../outside.png", TestImages.Noise(40, 60, 14));
        var manifest = new MemoryStream();
        void Line(string text) => manifest.Write(Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var name in good)
        {
            Line($$"""{"image": "covers/{{name}}.png", "question": "Who wrote this book?", "answer": "Anna Reed", "split": "train"}""");
            Line($$"""{"image": "covers/{{name}}.png", "question": "Is this a travel book?", "answer": "No", "split": "train"}""");
        }

        Line("""{"image": "covers/truncated.png", "question": "Who wrote this book?", "answer": "X", "split": "train"}""");
        Line("""{"image": "covers/fake.jpg", "question": "Who wrote this book?", "answer": "X", "split": "train"}""");
        Line("""{"image": "../../../etc/passwd", "question": "Who wrote this book?", "answer": "X", "split": "train"}""");
        Line("""{"image": "covers/missing.png", "question": "Who wrote this book?", "answer": "X", "split": "train"}""");
        Line("""{"image": "covers/a.png", "question": "oops" """);
        Line("""{"image": "covers/b.png", "question": "Who wrote this book?", "answer": "X", "split": "holdout"}""");
        // A question in Latin-1, not UTF-8: that question is left out, and said so.
        manifest.Write("""{"image": "covers/b.png", "question": "Who wrote this book? Caf"""u8);
        manifest.Write([0xE9]);
        manifest.Write("\", \"answer\": \"Ann Lee\", \"split\": \"train\"}"u8);
        manifest.Write("\n"u8);
        form.AddUploadFile("manifest.jsonl", manifest.ToArray());

        using var response = await Client.PostAsync("/api/datasets/uploads?name=Bad%20upload", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var dataset = await Client.WaitForImportAsync((await response.Content.ReadFromJsonAsync<ImportAccepted>(Json))!.Id);
        Assert.Equal(DatasetStatuses.Ready, dataset.Status);
        var run = await PrepareAsync(new PrepareRequest(dataset.Id, new SamplingSettings(100, 0, 0), Prompt: new PromptSettings(FewShotCount: 0)));

        var problems = string.Join("\n", dataset.Problems.Select(p => $"{p.Where}: {p.Reason}").Concat(run.Preparation!.Skipped.Select(s => $"{s.ImageId}: {s.Reason}")));
        Assert.Contains("'notes.exe': unsupported file type", problems);
        Assert.Contains("'covers/fake.jpg' is not a JPEG, PNG or WEBP image", problems);
        Assert.Contains("manifest.jsonl line 15", problems);
        Assert.Contains("Unknown split 'holdout'", problems);
        Assert.Contains("leads outside the folder", problems);
        Assert.Contains("covers/missing.png", problems);
        Assert.Contains("covers/truncated.png: The image cannot be decoded", problems);
        Assert.Matches(@"covers/b.png: In question/answer pair \d, the question is not valid UTF-8 text", problems);
        // The escaping upload name was kept inside the dataset's folder, never written above the workspace.
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(api.Workspace.Root)!, "outside.png")));

        // Two questions on each good cover; the Latin-1 question is left out.
        var train = run.Preparation.Splits.Single(s => s.Split == "train");
        Assert.True(train.Examples == good.Length * 2, problems);
        AssertValid(train);
        Assert.DoesNotContain("Caf", await Client.GetStringAsync($"/api/runs/{run.Id}/files/train.jsonl"));
    }

    [Theory]
    [InlineData("POST", "/api/runs", """{"datasetId": "sample", "sampling": {"train": -5}}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/runs", """{"datasetId": "sample", "images": {"quality": 0}}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/runs", """{"datasetId": "sample", "images": {"detail": "ultra"}}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/runs", """{"datasetId": "sample", "prompt": {"fewShotCount": 10000}}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/runs", """{"datasetId": "no-such-dataset"}""", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/runs", """{"datasetId": 42}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/runs", """{"datasetId": "sample", """, HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/runs", "[1, 2, 3]", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/runs/no-such-run/fine-tune", "{}", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/runs/no-such-run/evaluations", "{}", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/runs/no-such-run/evaluations", """{"maxConcurrency": -1}""", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/api/runs/no-such-run/files/train.jsonl", null, HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/runs/no-such-run/files/..%2F..%2Fsecrets.json", null, HttpStatusCode.BadRequest)]
    [InlineData("GET", "/api/evaluations/no-such-evaluation/export.csv", null, HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/images/..%2F..%2Fetc%2Fpasswd", null, HttpStatusCode.BadRequest)]
    public async Task BadRequestsAreProblemDetailsNeverA500(string method, string url, string? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
    }

    private static void AssertValid(PreparedSplit split) =>
        Assert.True(split.Validation.IsValid, string.Join("; ", split.Validation.FileErrors.Concat(split.Validation.Errors.Select(e => e.Message))));

    /// <summary>Every reason given for a record, from the import and from the preparation, by image or example id.</summary>
    private static Dictionary<string, string> Reasons(DatasetSummary dataset, RunView run)
    {
        var reasons = new Dictionary<string, string>();
        foreach (var problem in dataset.Problems)
        {
            reasons[problem.Where] = problem.Reason;
        }

        foreach (var skipped in run.Preparation!.Skipped)
        {
            reasons[skipped.ExampleId ?? skipped.ImageId] = skipped.Reason;
        }

        return reasons;
    }

    private async Task<DatasetSummary> ImportAsync(ImportRequest request)
    {
        using var response = await Client.PostAsJsonAsync("/api/datasets", request, Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var dataset = await Client.WaitForImportAsync((await response.Content.ReadFromJsonAsync<ImportAccepted>(Json))!.Id);
        Assert.Equal(DatasetStatuses.Ready, dataset.Status);
        return dataset;
    }


    private async Task<RunView> PrepareAsync(PrepareRequest request)
    {
        using var response = await Client.PostAsJsonAsync("/api/runs", request, Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<RunView>(Json))!.Id;
        var run = await Polling.WaitAsync(
            async () => (await Client.GetFromJsonAsync<RunView>($"/api/runs/{id}", Json))!,
            r => r.Prepare.Status is StepStatus.Succeeded or StepStatus.Failed,
            Timeout,
            TimeSpan.FromMilliseconds(100));
        Assert.True(run.Prepare.Status == StepStatus.Succeeded, $"Preparation ended {run.Prepare.Status}: {run.Prepare.Message}");
        return run;
    }

    /// <summary>A PNG of random colours, which no compression shrinks: about 3 bytes a pixel.</summary>
    private static byte[] FullNoisePng(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        new Random(4).NextBytes(pixels);
        using var image = SixLabors.ImageSharp.Image.LoadPixelData<SixLabors.ImageSharp.PixelFormats.Rgb24>(pixels, width, height);
        using var stream = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
        return stream.ToArray();
    }

}
