using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VqaAspire.Api.Export;
using VqaAspire.Contracts;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// The open-weights road through the whole app: a prepared run downloaded as the trainers' bundle, then the model
/// trained elsewhere, served on an OpenAI-compatible endpoint of its own (a test server in the test process, as vLLM
/// would serve the LoRA), evaluated on the run's test split beside the emulator's base model.
/// </summary>
public sealed partial class PipelineThroughApiTests
{
    [Fact]
    public async Task APreparedRunExportsForOpenWeightsTrainersAndTheServedModelIsEvaluatedBesideTheBaseModel()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var run = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(12, 4, 10), Prompt: new PromptSettings(FewShotCount: 1)));
        var examples = run.Preparation!.Splits.ToDictionary(s => s.Split, s => s.Examples);

        using var refused = await api.GetAsync($"/api/runs/{run.Id}/export/open-weights?baseModel={Uri.EscapeDataString("x\nadapter: evil")}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("baseModel", await refused.Content.ReadAsStringAsync());

        using var download = await api.GetAsync($"/api/runs/{run.Id}/export/open-weights?baseModel=Qwen/Qwen3-VL-8B-Instruct", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{run.Id}-open-weights.zip", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var zip = new ZipArchive(new MemoryStream(await download.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Subset(names, new HashSet<string> { "README.md", "dataset_info.json", "llamafactory/train.json", "llamafactory/validation.json", "llamafactory/lora_sft.yaml",
            "axolotl/train.jsonl", "axolotl/validation.jsonl", "axolotl/lora.yaml", "hf/train.parquet", "hf/validation.parquet", "hf/train_trl.py",
            "eval/test.jsonl", "eval/test.examples.jsonl" });
        Assert.Equal(run.Preparation.Splits.Sum(s => s.Images), names.Count(n => n.StartsWith("images/", StringComparison.Ordinal)));
        Assert.Equal(examples["train"], JsonDocument.Parse(Read(zip, "llamafactory/train.json")).RootElement.GetArrayLength());
        Assert.Equal(examples["validation"], Lines(Read(zip, "axolotl/validation.jsonl")));
        Assert.Equal(examples["test"], Lines(Read(zip, "eval/test.jsonl")));
        Assert.Contains("model_name_or_path: Qwen/Qwen3-VL-8B-Instruct", Read(zip, "llamafactory/lora_sft.yaml"));
        Assert.Contains("template: qwen3_vl", Read(zip, "llamafactory/lora_sft.yaml"));

        // Trained there, served as vLLM serves a LoRA (its own model name on its own endpoint), evaluated here.
        var truth = new TestSetTruth();
        truth.AddRun(fixture.WorkspaceRoot, run.Id);
        await using var served = await OpenAICompatibleTestServer.ModelAsync(truth, "open-weights", rightPercent: 90);
        var evaluation = await EvaluateToTheEndAsync(api, run.Id,
            new EvaluationRequest([new("base", "gpt-4o-2024-08-06"), new("open-weights", StarterConfigs.AdapterName, served.Endpoint)]));

        Assert.True(evaluation.Step.Status == StepStatus.Succeeded, evaluation.Step.Message);
        var summary = evaluation.Summary!;
        Assert.Equal([("base", "gpt-4o-2024-08-06"), ("open-weights", StarterConfigs.AdapterName)], summary.Models.Select(m => (m.Name, m.Model)));
        Assert.All(summary.Models, m => Assert.Equal(examples["test"], m.Answered));
        Assert.Equal([true, false], summary.Models.Select(m => m.Emulated));
        Assert.True(served.Requests >= examples["test"], $"{served.Requests} requests reached the served model for {examples["test"]} test questions");
        Assert.Contains(summary.PairedTests, t => t.Measure == "yes/no strict");
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static int Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
