using System.Text;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Datasets.Manifest;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

[Trait("Category", TestCategories.Unit)]
public sealed class ManifestVqaSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task JsonlManifestGroupsQuestionsPerImageAndSkipsBadLinesWithReasons()
    {
        var png = TestFolder.Png(20, 10);
        File.WriteAllBytes(_folder.PathOf("a.png"), png);
        File.WriteAllBytes(_folder.PathOf("empty.jpg"), []);
        File.WriteAllBytes(_folder.PathOf("garbage.jpg"), Encoding.ASCII.GetBytes("this is not an image at all"));
        File.WriteAllBytes(_folder.PathOf("cover.bmp"), [(byte)'B', (byte)'M', 1, 2, 3, 4]);
        File.WriteAllText(_folder.PathOf("manifest.jsonl"), string.Join('\n',
            """{"image": "a.png", "question": "Who wrote this book?", "answer": "Anna Reed", "split": "train"}""",
            """{"image": "a.png", "question": "Is this a travel book?", "answer": "No", "split": "train"}""",
            """{"image": "a.png", "question": "What is the title of this book?", "answer": "Lost River", "split": "val"}""",
            """{"image": "empty.jpg", "question": "Who wrote this book?", "answer": "X", "split": "train"}""",
            """{"image": "garbage.jpg", "question": "Who wrote this book?", "answer": "X", "split": "train"}""",
            """{"image": "cover.bmp", "question": "Who wrote this book?", "answer": "X", "split": "train"}""",
            """{"image": "../../etc/passwd", "question": "Who wrote this book?", "answer": "X", "split": "train"}""",
            """{"image": "a.png", "question": "oops" """,
            """{"image": "missing.png", "question": "Who wrote this book?", "answer": "X", "split": "holdout"}"""));

        var source = ManifestVqaSource.Open(_folder.Root);
        var train = await ScanAsync(source, VqaSplits.Train);
        var validation = await ScanAsync(source, VqaSplits.Validation);

        var a = train.Single(r => r.Record.ImageId == "a.png").Record;
        Assert.Equal(["Who wrote this book?", "Is this a travel book?"], a.Questions.Select(q => q.Text));
        Assert.Equal(png, a.ImageBytes);
        Assert.Equal("Lost River", validation.Single().Record.Questions.Single().Answer);
        Assert.Contains("is empty (0 bytes)", train.Single(r => r.Record.ImageId == "empty.jpg").Record.Problem);
        Assert.Contains("not a JPEG, PNG or WEBP", train.Single(r => r.Record.ImageId == "garbage.jpg").Record.Problem);
        Assert.Contains("not a JPEG, PNG or WEBP", train.Single(r => r.Record.ImageId == "cover.bmp").Record.Problem);
        Assert.Contains("leads outside the folder", train.Single(r => r.Record.ImageId == "../../etc/passwd").Record.Problem);
        Assert.Contains(source.FileProblems, p => p.Where == "manifest.jsonl line 8" && p.Reason.Contains("not a JSON object"));
        Assert.Contains(source.FileProblems, p => p.Where == "manifest.jsonl line 9" && p.Reason.Contains("Unknown split 'holdout'"));

        var listed = new List<VqaImageSummary>();
        await foreach (var summary in source.ListAsync(VqaSplits.Train, CancellationToken.None))
        {
            listed.Add(summary);
        }

        // The cheap listing does not open images, so only their problems found later keep them out of sampling.
        Assert.Contains(listed, s => s.ImageId == "a.png");
    }

    [Fact]
    public async Task CsvManifestWithQuotesAndAMalformedLineAndNonUtf8Text()
    {
        File.WriteAllBytes(_folder.PathOf("b.png"), TestFolder.Png());
        var csv = "image,question,answer,split\n" +
                  "b.png,\"What is the title of this book?\",\"Hello, World\",test\n" +
                  "b.png,\"Unclosed quote,answer,test\n";
        var bytes = Encoding.UTF8.GetBytes(csv).Concat("b.png,Who wrote this book?,"u8.ToArray()).Concat(new byte[] { 0xC3, 0x28 }).Concat(",test\n"u8.ToArray()).ToArray();
        File.WriteAllBytes(_folder.PathOf("manifest.csv"), bytes);

        var source = ManifestVqaSource.Open(_folder.Root);
        var scanned = Assert.Single(await ScanAsync(source, VqaSplits.Test));

        Assert.Equal("Hello, World", Assert.Single(scanned.Record.Questions).Answer);
        Assert.Contains(scanned.Notes, n => n.Contains("not valid UTF-8"));
        Assert.Contains(source.FileProblems, p => p.Where == "manifest.csv line 3");
    }

    [Fact]
    public void AFolderWithoutManifestIsAClearError()
    {
        var error = Assert.Throws<DatasetFormatException>(() => ManifestVqaSource.Open(_folder.Root));
        Assert.Contains("manifest.jsonl", error.Message);
    }

    private static async Task<List<ScannedRecord>> ScanAsync(ManifestVqaSource source, string split)
    {
        var result = new List<ScannedRecord>();
        await foreach (var s in source.ScanAsync(split, new ScanOptions(WithImages: true, WithSizes: true), CancellationToken.None))
        {
            result.Add(s);
        }

        return result;
    }

    public void Dispose() => _folder.Dispose();
}
