using VqaAspire.Api.Datasets;
using VqaAspire.Api.Datasets.Parquet;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

[Trait("Category", TestCategories.Unit)]
public sealed class ParquetVqaSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Theory]
    [InlineData("element")]
    [InlineData("item")]
    public async Task ReadsOcrVqaListsWhateverTheListItemIsNamed(string itemName)
    {
        var png = TestFolder.Png(30, 40);
        await _folder.WriteParquetAsync("data/train-00000-of-00001.parquet", 10,
            new ImageColumn("image", png, png),
            new TextColumn("image_id", "a1", "a2"),
            new TextListColumn("questions", [["Who wrote this book?", "Is this a sci-fi book?"], ["What is the title of this book?"]], itemName),
            new TextListColumn("answers", [["Anna Reed", "No"], ["Lost River"]], itemName),
            new TextColumn("genre", "Travel", "Law"));

        var source = Open(ColumnPresets.OcrVqa);
        var records = await ReadAllAsync(source, VqaSplits.Train);

        Assert.Equal(["a1", "a2"], records.Select(r => r.ImageId));
        Assert.Equal(["Who wrote this book?", "Is this a sci-fi book?"], records[0].Questions.Select(q => q.Text));
        Assert.Equal(["Anna Reed", "No"], records[0].Questions.Select(q => q.Answer));
        Assert.Equal([QuestionKind.Author, QuestionKind.YesNo], records[0].Questions.Select(q => q.Kind));
        Assert.Equal(png, records[1].ImageBytes);
        Assert.Equal("Law", records[1].Metadata["genre"]);
        Assert.All(records, r => Assert.Null(r.Problem));
    }

    [Fact]
    public async Task ReadsEveryRowGroupAndOnlyTheAskedIds()
    {
        var count = 25;
        await _folder.WriteParquetAsync("data/test-00000-of-00001.parquet", rowGroupSize: 4,
            new ImageColumn("image", [.. Enumerable.Range(0, count).Select(_ => TestFolder.Png())]),
            new TextColumn("image_id", [.. Enumerable.Range(0, count).Select(i => $"id{i}")]),
            new TextListColumn("questions", [.. Enumerable.Range(0, count).Select(i => new[] { $"Who wrote book {i}?" })]),
            new TextListColumn("answers", [.. Enumerable.Range(0, count).Select(i => new[] { $"Author {i}" })]));

        var source = Open(ColumnPresets.OcrVqa);
        var summaries = new List<VqaImageSummary>();
        await foreach (var summary in source.ListAsync(VqaSplits.Test, CancellationToken.None))
        {
            summaries.Add(summary);
        }

        var chosen = new HashSet<string> { "id2", "id13", "id24" };
        var read = new List<VqaImageRecord>();
        await foreach (var record in source.ReadAsync(VqaSplits.Test, chosen, CancellationToken.None))
        {
            read.Add(record);
        }

        Assert.Equal(count, summaries.Count);
        Assert.Equal([.. Enumerable.Range(0, count).Select(i => $"id{i}")], summaries.Select(s => s.ImageId));
        Assert.Equal(["id2", "id13", "id24"], read.Select(r => r.ImageId));
        Assert.Equal("Author 13", read[1].Questions.Single().Answer);
        Assert.All(read, r => Assert.NotNull(r.ImageBytes));
    }

    [Fact]
    public async Task ReadingSomeIdsGivesEachItsOwnImageEvenAfterANullImageInTheSameRowGroup()
    {
        // Only the asked rows' images are copied out of a row group; a null image stores no value, so the rows after it must
        // still get their own bytes, not a neighbour's.
        var images = new byte[]?[] { TestFolder.Png(10, 10), null, TestFolder.Png(12, 10), TestFolder.Png(14, 10), TestFolder.Png(16, 10), TestFolder.Png(18, 10) };
        await _folder.WriteParquetAsync("data/train-00000-of-00001.parquet", rowGroupSize: 6,
            new ImageColumn("image", images),
            new TextColumn("image_id", [.. Enumerable.Range(0, images.Length).Select(i => $"id{i}")]),
            new TextListColumn("questions", [.. Enumerable.Range(0, images.Length).Select(i => new[] { $"Who wrote book {i}?" })]),
            new TextListColumn("answers", [.. Enumerable.Range(0, images.Length).Select(i => new[] { $"Author {i}" })]));

        var read = new List<VqaImageRecord>();
        await foreach (var record in Open(ColumnPresets.OcrVqa).ReadAsync(VqaSplits.Train, new HashSet<string> { "id1", "id3", "id5" }, CancellationToken.None))
        {
            read.Add(record);
        }

        Assert.Equal(["id1", "id3", "id5"], read.Select(r => r.ImageId));
        Assert.Equal("The image is null.", read[0].Problem);
        Assert.Equal(images[3], read[1].ImageBytes);
        Assert.Equal(images[5], read[2].ImageBytes);
    }

    [Fact]
    public async Task AMissingColumnIsAClearError()
    {
        await _folder.WriteParquetAsync("data/train-00000-of-00001.parquet", 10,
            new ImageColumn("image", TestFolder.Png()),
            new TextColumn("image_id", "a1"),
            new TextListColumn("questions", [["Who wrote this book?"]]));

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(Open(ColumnPresets.OcrVqa), VqaSplits.Train));

        Assert.Contains("no answer column 'answers'", error.Message);
        Assert.Contains("image_id", error.Message);
    }

    [Fact]
    public async Task RaggedListsNullImagesAndHugeQuestionsAreRecordProblemsAndTheRestGoesOn()
    {
        var huge = new string('x', 100_000);
        await _folder.WriteParquetAsync("data/validation-00000-of-00001.parquet", 10,
            new ImageColumn("image", TestFolder.Png(), TestFolder.Png(), null, TestFolder.Png()),
            new TextColumn("image_id", "ragged", "huge", "null-image", "good"),
            new TextListColumn("questions", [["Who wrote this book?", "What is the title of this book?"], [huge, "Is this a travel book?"], ["Who wrote this book?"], ["Who wrote this book?"]]),
            new TextListColumn("answers", [["Anna Reed"], ["Yes", "No"], ["Anna Reed"], ["Ruth Gray"]]));

        var scanned = new List<ScannedRecord>();
        await foreach (var s in Open(ColumnPresets.OcrVqa).ScanAsync(VqaSplits.Validation, new ScanOptions(WithImages: true), CancellationToken.None))
        {
            scanned.Add(s);
        }

        var byId = scanned.ToDictionary(s => s.Record.ImageId);
        Assert.Contains("Ragged lists: 2 questions but 1 answers", byId["ragged"].Record.Problem);
        Assert.Null(byId["huge"].Record.Problem);
        Assert.Equal("Is this a travel book?", Assert.Single(byId["huge"].Record.Questions).Text);
        Assert.Contains("100,000 characters long", Assert.Single(byId["huge"].Notes));
        Assert.Equal("The image is null.", byId["null-image"].Record.Problem);
        Assert.Null(byId["good"].Record.Problem);
        Assert.Equal("Ruth Gray", byId["good"].Record.Questions.Single().Answer);
    }

    [Fact]
    public async Task TruncatedAndEmptyShardsAreLeftOutWithAReasonAndTheOtherShardsStillRead()
    {
        var good = await _folder.WriteParquetAsync("data/train-00000-of-00003.parquet", 10,
            new ImageColumn("image", TestFolder.Png()),
            new TextColumn("image_id", "kept"),
            new TextListColumn("questions", [["Who wrote this book?"]]),
            new TextListColumn("answers", [["Anna Reed"]]));
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(_folder.PathOf("data/train-00001-of-00003.parquet"), bytes[..(bytes.Length / 2)]);
        File.WriteAllBytes(_folder.PathOf("data/train-00002-of-00003.parquet"), []);

        var source = Open(ColumnPresets.OcrVqa);
        var records = await ReadAllAsync(source, VqaSplits.Train);

        Assert.Equal("kept", Assert.Single(records).ImageId);
        Assert.Contains(source.FileProblems, p => p.Where == "train-00001-of-00003.parquet" && p.Reason.Contains("Not a readable parquet file"));
        Assert.Contains(source.FileProblems, p => p.Where == "train-00002-of-00003.parquet");
    }

    [Fact]
    public async Task FindsTheImageColumnFromTheHuggingFaceFooterAndSplitsFromFileNames()
    {
        await _folder.WriteParquetAsync("data/val-00000-of-00001.parquet", 10,
            new ImageColumn("picture", TestFolder.Png(12, 7)),
            new TextColumn("query", "How many bars?"),
            new TextListColumn("label", [["3"]]));
        await _folder.WriteParquetAsync("data/notes.parquet", 10, new TextColumn("x", "y"));

        var (shards, problems) = ParquetVqaSource.FindShards(_folder.PathOf("data"));
        var source = new ParquetVqaSource(shards, ColumnPresets.Get(ColumnPresets.ChartQa) with { Image = null }, problems);
        var scanned = new List<ScannedRecord>();
        await foreach (var s in source.ScanAsync(VqaSplits.Validation, new ScanOptions(WithImages: false, WithSizes: true), CancellationToken.None))
        {
            scanned.Add(s);
        }

        Assert.Equal([VqaSplits.Validation], source.Splits);
        Assert.Contains(source.FileProblems, p => p.Where == "notes.parquet");
        var only = Assert.Single(scanned);
        Assert.Equal("3", only.Record.Questions.Single().Answer);
        Assert.Equal((12, 7), (only.Width, only.Height));
    }

    private ParquetVqaSource Open(string preset)
    {
        var (shards, problems) = ParquetVqaSource.FindShards(_folder.PathOf("data"));
        return new ParquetVqaSource(shards, ColumnPresets.Get(preset), problems);
    }

    private static async Task<List<VqaImageRecord>> ReadAllAsync(IVqaSource source, string split)
    {
        var records = new List<VqaImageRecord>();
        await foreach (var record in source.ReadAsync(split, null, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    public void Dispose() => _folder.Dispose();
}
