using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parquet;
using Parquet.Serialization;
using VqaAspire.Api.Export;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Tests.Preparation;

namespace VqaAspire.Tests.Export;

/// <summary>
/// A run prepared by the real preparer (two few-shot covers) and exported into a download-like stream: each trainer's
/// files checked against its documentation (LLaMA-Factory data/README.md, Axolotl docs/multimodal.qmd, TRL's vision
/// dataset format), every image referenced present in the zip, and no test example in a training file.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class OpenWeightsExportTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IAsyncLifetime
{
    private const int FewShot = 2;
    private const string RunId = "run_export";
    private readonly string _workspaceRoot = Path.Combine(Path.GetTempPath(), "vqaaspire-export-" + Guid.NewGuid().ToString("N"));
    private PreparationOutcome _outcome = null!;
    private Dictionary<string, byte[]> _zip = null!;

    public async Task InitializeAsync()
    {
        var workspace = new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = _workspaceRoot }));
        var cache = new EncodedImageCache(garnet.Redis, Options.Create(new ImageCacheOptions()));
        var encoder = new CachedImageEncoder(new ImageEncoder(Options.Create(new ImageLimitsOptions())), cache);
        var preparer = new DatasetPreparer(encoder, new TrainingFileValidator(new TokenCounter()), workspace, Options.Create(new PricingOptions()), NullLogger<DatasetPreparer>.Instance);
        _outcome = await preparer.PrepareAsync(RunId, new PrepareRequest("mem", new SamplingSettings(Train: 8, Validation: 3, Test: 4), Prompt: new PromptSettings(FewShotCount: FewShot)),
            InMemoryVqaSource.Covers(train: 8, validation: 3, test: 4), new Progress<PreparationProgress>(), CancellationToken.None);

        // As Kestrel's response body: no seeking, no synchronous writes.
        var download = new AsyncOnlyWriteStream();
        await new OpenWeightsExporter(workspace, NullLogger<OpenWeightsExporter>.Instance).WriteAsync(RunId, "Qwen/Qwen2.5-VL-7B-Instruct", FewShot, download, CancellationToken.None);
        _zip = Unzip(download.ToArray());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_workspaceRoot, recursive: true);
        return Task.CompletedTask;
    }

    private int Examples(string split) => _outcome.Splits.Single(s => s.Split == split).Examples;

    [Fact]
    public void LlamaFactoryRegistryNamesEachTrainingSplitInTheOpenAiSharegptSpelling()
    {
        using var info = JsonDocument.Parse(_zip["dataset_info.json"]);
        Assert.Equal(["vqa_train", "vqa_validation"], info.RootElement.EnumerateObject().Select(p => p.Name));
        foreach (var entry in info.RootElement.EnumerateObject())
        {
            var d = entry.Value;
            Assert.Equal("sharegpt", d.GetProperty("formatting").GetString());
            Assert.True(_zip.ContainsKey(d.GetProperty("file_name").GetString()!), $"{entry.Name}'s file_name is not in the bundle");
            Assert.Equal(("messages", "images"), (d.GetProperty("columns").GetProperty("messages").GetString(), d.GetProperty("columns").GetProperty("images").GetString()));
            var tags = d.GetProperty("tags");
            Assert.Equal(["role", "content", "user", "assistant", "system"],
                new[] { "role_tag", "content_tag", "user_tag", "assistant_tag", "system_tag" }.Select(t => tags.GetProperty(t).GetString()));
        }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("validation")]
    public void LlamaFactoryExamplesHaveOnePlaceholderPerImageAndTheRunsSystemPromptAndFewShotTurns(string split)
    {
        using var file = JsonDocument.Parse(_zip[$"llamafactory/{split}.json"]);
        var examples = file.RootElement.EnumerateArray().ToList();
        Assert.Equal(Examples(split), examples.Count);
        foreach (var example in examples)
        {
            var messages = example.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(["system", .. Enumerable.Repeat(new[] { "user", "assistant" }, FewShot + 1).SelectMany(x => x)], messages.Select(m => m.GetProperty("role").GetString()));
            Assert.Equal(PromptDefaults.SystemPrompt, messages[0].GetProperty("content").GetString());
            var placeholders = messages.Sum(m => CountOf(m.GetProperty("content").GetString()!, "<image>"));
            var images = example.GetProperty("images").EnumerateArray().Select(i => i.GetString()!).ToList();
            Assert.Equal(FewShot + 1, images.Count);
            Assert.Equal(images.Count, placeholders);
            Assert.All(messages.Where(m => m.GetProperty("role").GetString() != "user"), m => Assert.DoesNotContain("<image>", m.GetProperty("content").GetString()));
            AssertInBundle(images);
        }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("validation")]
    public void AxolotlLinesAreChatTemplateMessagesWithImagePartsByPath(string split)
    {
        var lines = Lines($"axolotl/{split}.jsonl");
        Assert.Equal(Examples(split), lines.Count);
        foreach (var line in lines)
        {
            var messages = line.RootElement.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal("system", messages[0].GetProperty("role").GetString());
            Assert.Equal("assistant", messages[^1].GetProperty("role").GetString());
            var parts = messages.SelectMany(m => m.GetProperty("content").EnumerateArray()).ToList();
            Assert.All(parts, p => Assert.Contains(p.GetProperty("type").GetString(), new[] { "text", "image" }));
            var images = parts.Where(p => p.GetProperty("type").GetString() == "image").Select(p => p.GetProperty("path").GetString()!).ToList();
            Assert.Equal(FewShot + 1, images.Count);
            Assert.All(parts.Where(p => p.GetProperty("type").GetString() == "text"), p => Assert.False(string.IsNullOrEmpty(p.GetProperty("text").GetString())));
            AssertInBundle(images);
        }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("validation")]
    public async Task ParquetSplitHasMessagesAndImagesColumnsTheDatasetsLibraryReads(string split)
    {
        using var stream = new MemoryStream(_zip[$"hf/{split}.parquet"]);
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true))
        {
            Assert.Equal(["messages", "images"], reader.Schema.Fields.Select(f => f.Name));
            using var features = JsonDocument.Parse(reader.CustomMetadata["huggingface"]);
            Assert.Equal("Image", features.RootElement.GetProperty("info").GetProperty("features").GetProperty("images").GetProperty("feature").GetProperty("_type").GetString());
        }

        stream.Position = 0;
        var rows = (await ParquetSerializer.DeserializeAsync<HuggingFaceParquetWriter.HfRow>(stream)).Data;
        Assert.Equal(Examples(split), rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal("system", row.Messages[0].Role);
            var placeholders = row.Messages.SelectMany(m => m.Content).Count(c => c.Type == "image");
            Assert.Equal(FewShot + 1, row.Images.Count);
            Assert.Equal(row.Images.Count, placeholders);
            Assert.All(row.Images, i => Assert.Null(i.Bytes));
            AssertInBundle(row.Images.Select(i => i.Path));
        }
    }

    [Fact]
    public async Task ASplitLongerThanARowGroupKeepsEveryRowAndTheFeaturesFooter()
    {
        var path = Path.Combine(_workspaceRoot, "long.parquet");
        var rows = HuggingFaceParquetWriter.RowsPerGroup * 2 + 7;
        await using (var writer = new HuggingFaceParquetWriter(path))
        {
            for (var i = 0; i < rows; i++)
            {
                await writer.WriteAsync(new ExportConversation([
                    new ExportTurn("user", [new ExportPart($"Question {i}", null), new ExportPart(null, $"images/{i}.jpg")]),
                    new ExportTurn("assistant", [new ExportPart($"Answer {i}", null)])]), CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        await using var stream = File.OpenRead(path);
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true))
        {
            Assert.Equal(3, reader.RowGroupCount);
            Assert.Equal(HuggingFaceParquetWriter.FeaturesJson, reader.CustomMetadata["huggingface"]);
        }

        stream.Position = 0;
        var read = (await ParquetSerializer.DeserializeAsync<HuggingFaceParquetWriter.HfRow>(stream)).Data;
        Assert.Equal(Enumerable.Range(0, rows).Select(i => ((string?)$"Question {i}", $"images/{i}.jpg", (string?)$"Answer {i}")),
            read.Select(r => (r.Messages[0].Content[0].Text, r.Images.Single().Path, r.Messages[1].Content[0].Text)));
    }

    [Fact]
    public void NoTestExampleIsInATrainingFileAndTheEvaluationSetHasNoAnswers()
    {
        var test = Lines("eval/test.jsonl");
        Assert.Equal(Examples("test"), test.Count);
        Assert.Equal(test.Count, Lines("eval/test.examples.jsonl").Count);
        Assert.All(test, t => Assert.NotEqual("assistant", t.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("role").GetString()));
        var asked = test.Select(t => LastUserTurn(t.RootElement)).ToList();
        AssertInBundle(asked.Select(a => a.Image));

        // The question asked (its cover and text) of every training example, in each format.
        var trained = new HashSet<(string Image, string Text)>();
        foreach (var split in OpenWeightsExporter.TrainingSplits)
        {
            trained.UnionWith(Lines($"axolotl/{split}.jsonl").Select(l => LastUserTurn(l.RootElement)));
            using var llamaFactory = JsonDocument.Parse(_zip[$"llamafactory/{split}.json"]);
            trained.UnionWith(llamaFactory.RootElement.EnumerateArray().Select(e =>
                (e.GetProperty("images").EnumerateArray().Last().GetString()!, e.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").GetString()!.Replace("<image>", ""))));
        }

        Assert.Equal(Examples("train") + Examples("validation"), trained.Count);
        Assert.Empty(asked.Intersect(trained));
        // Nor is a test cover anywhere in a training file, as a question or a few-shot example.
        var testCovers = asked.Select(a => a.Image).ToHashSet();
        foreach (var split in OpenWeightsExporter.TrainingSplits)
        {
            Assert.DoesNotContain(Lines($"axolotl/{split}.jsonl").SelectMany(l => Paths(l.RootElement)), testCovers.Contains);
        }
    }

    [Fact]
    public async Task ABrokenPreparedLineIsNamedBySplitAndLineAndNoScratchIsLeftBehind()
    {
        var workspace = new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = _workspaceRoot }));
        var prepared = workspace.Folder("runs", "run_broken", "prepared");
        var good = File.ReadLines(Path.Combine(_workspaceRoot, "runs", RunId, "prepared", "train.jsonl")).First();
        const string RemoteImage = """{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/cover.jpg"}}]}]}""";
        await File.WriteAllLinesAsync(Path.Combine(prepared, "train.jsonl"), [good, RemoteImage]);
        foreach (var name in new[] { "validation.jsonl", "test.jsonl", "test.examples.jsonl" })
        {
            await File.WriteAllTextAsync(Path.Combine(prepared, name), "");
        }

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new OpenWeightsExporter(workspace, NullLogger<OpenWeightsExporter>.Instance).WriteAsync("run_broken", "m", 0, new AsyncOnlyWriteStream(), CancellationToken.None));

        Assert.StartsWith("train.jsonl line 2: An image is not a base64 data URL", failure.Message);
        Assert.Equal(["prepared"], Directory.GetDirectories(Path.Combine(_workspaceRoot, "runs", "run_broken")).Select(Path.GetFileName));
    }

    [Fact]
    public void EveryCoverIsStoredOnceAsAnImageFile()
    {
        var images = _zip.Keys.Where(k => k.StartsWith("images/", StringComparison.Ordinal)).ToList();
        var trainImages = _outcome.Splits.Sum(s => s.Images);
        Assert.Equal(trainImages, images.Count);
        Assert.All(images, i => Assert.Equal([0xFF, 0xD8], _zip[i][..2])); // JPEG files, not base64 text
    }

    [Fact]
    public void StarterConfigsNameTheBaseModelAndTheBundlesDatasets()
    {
        var llamaFactory = Text("llamafactory/lora_sft.yaml");
        Assert.Contains("model_name_or_path: Qwen/Qwen2.5-VL-7B-Instruct", llamaFactory);
        Assert.Contains("template: qwen2_vl", llamaFactory);
        Assert.Contains("dataset: vqa_train", llamaFactory);
        Assert.Contains("eval_dataset: vqa_validation", llamaFactory);
        Assert.Contains("finetuning_type: lora", llamaFactory);
        var axolotl = Text("axolotl/lora.yaml");
        Assert.Contains("base_model: Qwen/Qwen2.5-VL-7B-Instruct", axolotl);
        Assert.Contains("path: axolotl/train.jsonl", axolotl);
        Assert.Contains("adapter: lora", axolotl);
        Assert.Contains("\"hf/train.parquet\"", Text("hf/train_trl.py"));
        var readme = Text("README.md");
        Assert.Contains($"vllm serve Qwen/Qwen2.5-VL-7B-Instruct --enable-lora --lora-modules {StarterConfigs.AdapterName}=", readme);
        Assert.Contains($"/api/runs/{RunId}/evaluations", readme);
    }

    [Theory]
    [InlineData("Qwen/Qwen3-VL-8B-Instruct", "qwen3_vl", "qwen2_vl")]
    [InlineData("google/gemma-3-4b-it", "gemma3", "gemma3")]
    [InlineData("meta-llama/Llama-3.2-11B-Vision-Instruct", "mllama", "llama3_2_vision")]
    [InlineData("HuggingFaceTB/SmolVLM-Instruct", null, null)]
    public void TemplatesFollowTheModelFamilyAndAnUnknownFamilyIsLeftToFillIn(string model, string? llamaFactory, string? axolotl)
    {
        Assert.Equal((llamaFactory, axolotl), StarterConfigs.Templates(model));
        var facts = new BundleFacts(RunId, model, new Dictionary<string, int>(), 0, HasValidation: false);
        var yaml = StarterConfigs.LlamaFactoryYaml(facts);
        Assert.Contains(llamaFactory is null ? "template: FILL_IN" : $"template: {llamaFactory}", yaml);
        Assert.DoesNotContain("eval_dataset", yaml);
    }

    [Theory]
    [InlineData("Qwen/Qwen2.5-VL-7B-Instruct", true)]
    [InlineData("my-model", true)]
    [InlineData("a/b/c", false)]
    [InlineData("x\nmalicious: true", false)]
    [InlineData("../etc", false)]
    public void ABaseModelNameThatCouldBreakAConfigLineIsRefused(string model, bool accepted) =>
        Assert.Equal(accepted, StarterConfigs.BaseModelProblem(model) is null);

    private void AssertInBundle(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            Assert.StartsWith("images/", path);
            Assert.True(_zip.ContainsKey(path), $"{path} is referenced but not in the zip");
        }
    }

    private string Text(string name) => System.Text.Encoding.UTF8.GetString(_zip[name]);

    private List<JsonDocument> Lines(string name) =>
        [.. Text(name).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l))];

    private static (string Image, string Text) LastUserTurn(JsonElement line)
    {
        var parts = line.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").EnumerateArray().ToList();
        return (parts.Single(p => p.GetProperty("type").GetString() == "image").GetProperty("path").GetString()!,
            string.Concat(parts.Where(p => p.GetProperty("type").GetString() == "text").Select(p => p.GetProperty("text").GetString())));
    }

    private static IEnumerable<string> Paths(JsonElement line) =>
        line.GetProperty("messages").EnumerateArray().SelectMany(m => m.GetProperty("content").EnumerateArray())
            .Where(p => p.GetProperty("type").GetString() == "image").Select(p => p.GetProperty("path").GetString()!);

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private static Dictionary<string, byte[]> Unzip(byte[] bytes)
    {
        using var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.True(entries.TryAdd(entry.FullName, copy.ToArray()), $"{entry.FullName} is in the zip twice");
        }

        return entries;
    }

    /// <summary>A response body as Kestrel gives it: write-only, unseekable, asynchronous writes only.</summary>
    private sealed class AsyncOnlyWriteStream : Stream
    {
        private readonly MemoryStream _written = new();

        public byte[] ToArray() => _written.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are not allowed.");
        public override void Flush() => throw new InvalidOperationException("Synchronous flushes are not allowed.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _written.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _written.WriteAsync(buffer, offset, count, cancellationToken);
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
