using VqaAspire.Api.Datasets;
using VqaAspire.Api.Datasets.Parquet;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

/// <summary>Each preset on a small file shaped like its dataset's parquet.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ColumnPresetTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task DocVqaTakesTheFirstOfItsAcceptedAnswers()
    {
        await Write("train",
            new ImageColumn("image", TestFolder.Png()),
            new TextColumn("questionId", "q7"),
            new TextColumn("question", "What is the date on the letter?"),
            new TextListColumn("answers", [["March 3, 1998", "3 March 1998"]]),
            new TextColumn("docId", "doc-1"));

        var record = await SingleAsync(ColumnPresets.DocVqa, VqaSplits.Train);

        Assert.Equal("q7", record.ImageId);
        var question = Assert.Single(record.Questions);
        Assert.Equal("March 3, 1998", question.Answer);
        Assert.Equal(["March 3, 1998", "3 March 1998"], question.AcceptedAnswers);
        Assert.Equal("doc-1", record.Metadata["docId"]);
    }

    [Fact]
    public async Task ChartQaReadsQueryAndLabelAndItsValSplit()
    {
        await Write("val",
            new ImageColumn("image", TestFolder.Png()),
            new TextColumn("query", "Which year had the most sales?"),
            new TextListColumn("label", [["2019"]]));

        var record = await SingleAsync(ColumnPresets.ChartQa, VqaSplits.Validation);

        Assert.Equal("Which year had the most sales?", record.Questions.Single().Text);
        Assert.Equal("2019", record.Questions.Single().Answer);
    }

    [Fact]
    public async Task TextVqaAnswersWithTheAnnotatorsMajorityAndKeepsEveryAnnotatorsAnswer()
    {
        await Write("train",
            new ImageColumn("image", TestFolder.Png()),
            new TextColumn("question_id", "34602"),
            new TextColumn("question", "what brand is the bottle?"),
            new TextListColumn("answers", [["coca cola", "pepsi", "coca cola", "coke"]]),
            new IntColumn("image_width", 1024),
            new IntColumn("image_height", 768));

        var record = await SingleAsync(ColumnPresets.TextVqa, VqaSplits.Train);

        var question = record.Questions.Single();
        Assert.Equal("coca cola", question.Answer);
        // Every annotator's answer, repeats kept: VQA accuracy counts how many agree.
        Assert.Equal(["coca cola", "pepsi", "coca cola", "coke"], question.AcceptedAnswers);
    }

    [Fact]
    public async Task VqaV2ReadsAnswersFromAListOfStructs()
    {
        await Write("validation",
            new ImageColumn("image", TestFolder.Png(), TestFolder.Png()),
            new TextColumn("question_id", "1", "2"),
            new TextColumn("question", "Is the man smiling?", "What color is the bus?"),
            new TextColumn("multiple_choice_answer", "yes", "red"),
            new StructListColumn("answers", "answer", [["yes", "yes", "no"], ["red", "maroon"]]),
            new TextColumn("image_id", "img-9", "img-9"));

        var records = await AllAsync(ColumnPresets.VqaV2, VqaSplits.Validation);

        Assert.Equal(["1", "2"], records.Select(r => r.ImageId));
        Assert.Equal(QuestionKind.YesNo, records[0].Questions.Single().Kind);
        Assert.Equal(["red", "maroon"], records[1].Questions.Single().AcceptedAnswers);
        Assert.Equal("img-9", records[1].Metadata["image_id"]);
    }

    [Fact]
    public async Task VqaV2KeepsTheTenAnnotatorsWithoutAddingTheTruthShown()
    {
        // multiple_choice_answer "red" is not among the ten: it stays the truth shown, not an eleventh annotator, so a
        // prediction "red" matching the 2 "Red" annotators scores the official 0.6 (not 0.909 with the truth added).
        string[] annotators = ["Red", "Red", "maroon", "maroon", "maroon", "maroon", "crimson", "crimson", "crimson", "crimson"];
        await Write("validation",
            new ImageColumn("image", TestFolder.Png()),
            new TextColumn("question_id", "7"),
            new TextColumn("question", "What color is the bus?"),
            new TextColumn("multiple_choice_answer", "red"),
            new StructListColumn("answers", "answer", [annotators]),
            new TextColumn("image_id", "img-7"));

        var question = (await AllAsync(ColumnPresets.VqaV2, VqaSplits.Validation)).Single().Questions.Single();

        Assert.Equal("red", question.Answer);
        Assert.Equal(annotators, question.AcceptedAnswers);
        Assert.Equal(0.6, DatasetMetrics.Score(DatasetMetric.VqaAccuracy, "red", question.Answer, question.AcceptedAnswers, question.Text), 10);
    }

    [Fact]
    public async Task ScienceQaTurnsTheAnswerIndexIntoTheChoiceAndShowsTheChoices()
    {
        await Write("test",
            new ImageColumn("image", TestFolder.Png(), null),
            new TextColumn("question", "Which animal is a mammal?", "Which is a solid?"),
            new TextListColumn("choices", [["frog", "dolphin", "shark"], ["water", "ice"]]),
            new IntColumn("answer", 1, 1));

        var records = await AllAsync(ColumnPresets.ScienceQa, VqaSplits.Test);

        var question = records[0].Questions.Single();
        Assert.Equal("dolphin", question.Answer);
        Assert.Contains("Choices: frog; dolphin; shark", question.Text);
        Assert.Equal("The image is null.", records[1].Problem);
    }

    [Fact]
    public async Task Ai2dReadsAnIndexGivenAsText()
    {
        await Write("test",
            new ImageColumn("image", TestFolder.Png()),
            new TextColumn("question", "Which stage comes after the larva?"),
            new TextListColumn("options", [["egg", "pupa", "adult"]]),
            new TextColumn("answer", "1"));

        var record = await SingleAsync(ColumnPresets.Ai2d, VqaSplits.Test);

        Assert.Equal("pupa", record.Questions.Single().Answer);
    }

    [Fact]
    public async Task AnImageColumnHoldingAListOfImagesGivesTheFirstImage()
    {
        var first = TestFolder.Png(11, 5);
        await Write("train",
            new ImageListColumn("images", [[first, TestFolder.Png(3, 3)]]),
            new TextColumn("question", "What is in the first picture?"),
            new TextColumn("answer", "A red square"));

        var record = await SingleAsync(ColumnPresets.ChartQa, VqaSplits.Train, new VqaAspire.Contracts.ColumnOverrides(Image: "images", Question: "question", Answer: "answer"));

        Assert.Equal(first, record.ImageBytes);
        Assert.Equal("A red square", record.Questions.Single().Answer);
    }

    [Fact]
    public void AnUnknownPresetNamesTheKnownOnes()
    {
        var error = Assert.Throws<DatasetFormatException>(() => ColumnPresets.Get("mnist"));
        Assert.Contains("ocr-vqa", error.Message);
    }

    private Task Write(string split, params TestColumn[] columns) =>
        _folder.WriteParquetAsync($"data/{split}-00000-of-00001.parquet", 10, columns);

    private async Task<VqaImageRecord> SingleAsync(string preset, string split, VqaAspire.Contracts.ColumnOverrides? overrides = null) =>
        Assert.Single(await AllAsync(preset, split, overrides));

    private async Task<List<VqaImageRecord>> AllAsync(string preset, string split, VqaAspire.Contracts.ColumnOverrides? overrides = null)
    {
        var (shards, _) = ParquetVqaSource.FindShards(_folder.PathOf("data"));
        var source = new ParquetVqaSource(shards, ColumnPresets.Get(preset).With(overrides));
        var records = new List<VqaImageRecord>();
        await foreach (var record in source.ReadAsync(split, null, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    public void Dispose() => _folder.Dispose();
}
