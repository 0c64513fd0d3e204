using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VqaAspire.Tests.Imaging;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Preparation;

[Trait("Category", TestCategories.Unit)]
public sealed class DatasetPreparerTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IDisposable
{
    private readonly string _workspaceRoot = Path.Combine(Path.GetTempPath(), "vqaaspire-prep-" + Guid.NewGuid().ToString("N"));

    private DatasetPreparer CreatePreparer(out WorkspaceStorage workspace)
    {
        workspace = new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = _workspaceRoot }));
        var cache = new EncodedImageCache(garnet.Redis, Options.Create(new ImageCacheOptions()));
        var encoder = new CachedImageEncoder(new ImageEncoder(Options.Create(new ImageLimitsOptions())), cache);
        var pricing = new PricingOptions { Models = { ["gpt-4o-2024-08-06"] = new ModelPrice { TrainingPerMillion = 25m } } };
        return new DatasetPreparer(encoder, new TrainingFileValidator(new TokenCounter()), workspace, Options.Create(pricing), NullLogger<DatasetPreparer>.Instance);
    }

    private static readonly IProgress<PreparationProgress> NoProgress = new Progress<PreparationProgress>();

    [Fact]
    public async Task SampledImagesBecomeOneExamplePerQuestionInValidJsonl()
    {
        var source = InMemoryVqaSource.Covers(train: 12, validation: 5, test: 6);
        var preparer = CreatePreparer(out var workspace);
        var request = new PrepareRequest("mem", new SamplingSettings(Train: 10, Validation: 4, Test: 5), Prompt: new PromptSettings(FewShotCount: 2));

        var outcome = await preparer.PrepareAsync("run_a", request, source, NoProgress, CancellationToken.None);

        var train = outcome.Splits.Single(s => s.Split == "train");
        Assert.Equal(10, train.Images);
        // Three questions per image, a fourth for every third image: counted from the images actually sampled.
        var index = await ReadIndexAsync(workspace, train.File);
        Assert.Equal(index.Count, train.Examples);
        Assert.InRange(train.Examples, 30, 40);
        Assert.True(train.Validation.IsValid, string.Join("; ", train.Validation.Errors.Select(e => e.Message).Concat(train.Validation.FileErrors)));
        Assert.Equal(train.Examples, train.Validation.ValidLines);
        // Two few-shot images plus the question's: three images per line.
        Assert.Equal(train.Examples * 3, train.Validation.Images);
        Assert.Equal(2, outcome.FewShotExampleIds.Count);
        Assert.Equal(0, outcome.SkippedCount);
    }

    [Theory]
    [InlineData(0, "auto")]
    [InlineData(3, "high")]
    [InlineData(2, "low")]
    public async Task ReportFromWritingEqualsValidatingTheWrittenFile(int fewShot, string detail)
    {
        // Lines are checked as they are written; the file validator reading them back must agree to the token.
        var source = InMemoryVqaSource.Covers(train: 14, validation: 4, test: 5);
        var preparer = CreatePreparer(out var workspace);
        var request = new PrepareRequest("mem", new SamplingSettings(Train: 14, Validation: 4, Test: 5),
            Images: new ImageSettings(Detail: detail), Prompt: new PromptSettings(FewShotCount: fewShot));

        var outcome = await preparer.PrepareAsync($"run_equal_{fewShot}", request, source, NoProgress, CancellationToken.None);

        var validator = new TrainingFileValidator(new TokenCounter());
        foreach (var split in outcome.Splits.Where(s => s.Examples > 0))
        {
            var reread = await validator.ValidateAsync(Path.Combine(workspace.Root, split.File), split.Split == "test" ? JsonlPurpose.Test : JsonlPurpose.Training,
                null, CancellationToken.None);
            Assert.Equal(JsonSerializer.Serialize(reread), JsonSerializer.Serialize(split.Validation));
            Assert.True(split.Validation.TokensTotal > 0);
        }
    }

    [Fact]
    public async Task EachLineHoldsSystemFewShotQuestionAndAnswerAndTheTestLineNoAnswer()
    {
        var source = InMemoryVqaSource.Covers(train: 12, validation: 0, test: 3);
        var preparer = CreatePreparer(out var workspace);
        var request = new PrepareRequest("mem", new SamplingSettings(Train: 12, Validation: 0, Test: 3),
            Prompt: new PromptSettings(SystemPrompt: "Read the cover.", FewShotCount: 1));

        var outcome = await preparer.PrepareAsync("run_b", request, source, NoProgress, CancellationToken.None);

        var trainSplit = outcome.Splits.Single(s => s.Split == "train");
        var firstTrain = JsonDocument.Parse(File.ReadLines(workspace.Resolve(trainSplit.File)).First()).RootElement.GetProperty("messages");
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], firstTrain.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Read the cover.", firstTrain[0].GetProperty("content").GetString());
        var imagePart = firstTrain[3].GetProperty("content")[1];
        Assert.StartsWith("data:image/jpeg;base64,", imagePart.GetProperty("image_url").GetProperty("url").GetString());

        var index = await ReadIndexAsync(workspace, trainSplit.File);
        Assert.Equal(index[0].GetProperty("question").GetString(), firstTrain[3].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(index[0].GetProperty("answer").GetString(), firstTrain[4].GetProperty("content").GetString());

        var testSplit = outcome.Splits.Single(s => s.Split == "test");
        var testLine = JsonDocument.Parse(File.ReadLines(workspace.Resolve(testSplit.File)).First()).RootElement.GetProperty("messages");
        Assert.Equal("user", testLine[testLine.GetArrayLength() - 1].GetProperty("role").GetString());
        // The truth is kept beside the test file, not in it.
        var truth = await ReadIndexAsync(workspace, testSplit.File);
        Assert.Equal(testSplit.Examples, truth.Count);
        Assert.All(truth, row => Assert.False(string.IsNullOrEmpty(row.GetProperty("answer").GetString())));
        Assert.True(testSplit.Validation.IsValid);
    }

    [Fact]
    public async Task PreparingAgainReadsEveryImageFromTheCache()
    {
        await garnet.FlushAsync();
        var source = InMemoryVqaSource.Covers(train: 10, validation: 3, test: 3);
        var preparer = CreatePreparer(out _);
        var request = new PrepareRequest("mem", new SamplingSettings(10, 3, 3), Prompt: new PromptSettings(FewShotCount: 2));

        var cold = await preparer.PrepareAsync("run_c1", request, source, NoProgress, CancellationToken.None);
        var warm = await preparer.PrepareAsync("run_c2", request, source, NoProgress, CancellationToken.None);

        // 16 sampled images plus 2 few-shot uses; a few-shot image met again in train is already cached.
        Assert.Equal(16 + 2, cold.ImagesEncoded + cold.ImagesFromCache);
        Assert.True(cold.ImagesEncoded >= 16);
        Assert.Equal(0, warm.ImagesEncoded);
        Assert.Equal(16 + 2, warm.ImagesFromCache);
        Assert.Equal(cold.Splits.Select(s => s.Bytes), warm.Splits.Select(s => s.Bytes));
    }

    [Fact]
    public async Task BadImagesAndQuestionsAreSkippedWithReasonsAndTheRestIsWritten()
    {
        var good = Enumerable.Range(0, 10).Select(i => InMemoryVqaSource.Cover($"good{i}", "train", i));
        VqaImageRecord[] bad =
        [
            new("garbage", "train", [1, 2, 3, 4, 5, 6, 7, 8], [InMemoryVqaSource.Q("Who wrote this book?", "X")], new Dictionary<string, string>()),
            new("empty", "train", [], [InMemoryVqaSource.Q("Who wrote this book?", "X")], new Dictionary<string, string>()),
            new("null", "train", null, [InMemoryVqaSource.Q("Who wrote this book?", "X")], new Dictionary<string, string>()),
            new("bomb", "train", TestImages.PngClaiming(90_000, 90_000), [InMemoryVqaSource.Q("Who wrote this book?", "X")], new Dictionary<string, string>()),
            new("ragged", "train", TestImages.Noise(20, 20, 99), [], new Dictionary<string, string>(), Problem: "3 questions but 2 answers."),
            InMemoryVqaSource.Cover("long-question", "train", 50) with
            {
                Questions = [InMemoryVqaSource.Q(new string('w', 99_999) + "?", "Yes"), InMemoryVqaSource.Q("Who wrote this book?", "Ann")],
            },
        ];
        var source = new InMemoryVqaSource([.. good, .. bad]);
        var preparer = CreatePreparer(out _);

        var outcome = await preparer.PrepareAsync("run_d", new PrepareRequest("mem", new SamplingSettings(100, 0, 0), Prompt: new PromptSettings(FewShotCount: 0)),
            source, NoProgress, CancellationToken.None);

        var reasons = outcome.Skipped.ToDictionary(s => s.ExampleId ?? s.ImageId, s => s.Reason);
        Assert.Contains("supported format", reasons["garbage"]);
        Assert.Contains("empty", reasons["empty"]);
        Assert.Contains("missing", reasons["null"]);
        Assert.Contains("refused before decoding", reasons["bomb"]);
        Assert.Contains("2 answers", reasons["ragged"]);
        Assert.Contains("100,000 characters", reasons["long-question#q0"]);
        Assert.Equal(6, outcome.SkippedCount);
        var train = outcome.Splits.Single(s => s.Split == "train");
        // Ten good covers with 3-4 questions, and the long-question cover's second question.
        Assert.Equal(10 * 3 + 4 + 1, train.Examples);
        Assert.True(train.Validation.IsValid);
    }

    [Fact]
    public async Task TheEstimateMultipliesBilledTokensByEpochsAndPrice()
    {
        var source = InMemoryVqaSource.Covers(train: 10, validation: 2, test: 0);
        var preparer = CreatePreparer(out _);

        var outcome = await preparer.PrepareAsync("run_e", new PrepareRequest("mem", new SamplingSettings(10, 2, 0), Prompt: new PromptSettings(FewShotCount: 0)),
            source, NoProgress, CancellationToken.None);

        var estimate = outcome.Estimate!;
        var train = outcome.Splits.Single(s => s.Split == "train");
        Assert.Equal(train.Validation.BilledTokens, estimate.BilledTokensPerEpoch);
        Assert.Equal(TrainingBilling.AutoEpochs(train.Examples), estimate.Epochs);
        Assert.True(estimate.EpochsAuto);
        Assert.Equal(estimate.BilledTokensPerEpoch * estimate.Epochs, estimate.TrainedTokens);
        Assert.Equal(Math.Round(estimate.TrainedTokens * 25m / 1_000_000m, 2), estimate.EstimatedCostUsd);
    }

    [Theory]
    [InlineData(-1, 6, "auto", "negative")]
    [InlineData(10, 10, "auto", "fewShotCount")]
    [InlineData(10, 6, "ultra", "detail")]
    public void SettingsThatCannotWorkAreRefusedByName(int train, int fewShot, string detail, string expected)
    {
        var request = new PrepareRequest("sample", new SamplingSettings(Train: train), new ImageSettings(Detail: detail), new PromptSettings(FewShotCount: fewShot));

        Assert.Contains(expected, DatasetPreparer.Problem(request));
    }

    private static async Task<List<JsonElement>> ReadIndexAsync(WorkspaceStorage workspace, string jsonlFile)
    {
        var index = workspace.Resolve(jsonlFile.Replace(".jsonl", ".examples.jsonl"));
        return [.. (await File.ReadAllLinesAsync(index)).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_workspaceRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
