using System.Diagnostics;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Preparation;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Pages;

namespace VqaAspire.Tests.Web;

/// <summary>
/// The new run form and the api judge a request by the same rules (in Contracts): what the api refuses, the form
/// names at the field; nothing is silently clamped; asking a split for more images than it has is said plainly.
/// </summary>
[Trait("Category", TestCategories.Unit)]
[Collection(ProcessWideTelemetryCollection.Name)]
public sealed class RequestRulesTests
{
    private static readonly IReadOnlyList<SplitStats> SampleSplits =
    [
        new("train", 200, 800, new Dictionary<string, int>(), null, null, 0),
        new("validation", 60, 240, new Dictionary<string, int>(), null, null, 0),
        new("test", 120, 480, new Dictionary<string, int>(), null, null, 0),
    ];

    [Theory]
    [InlineData(-5, 50, null, 6, null, "sampling.train", "cannot be negative")]
    [InlineData(150, 0, null, 6, null, "images.quality", "between 1 and 100")]
    [InlineData(150, 50, 5, 6, null, "images.maxSide", "between 16 and 8192")]
    [InlineData(150, 50, null, 20, null, "prompt.fewShotCount", "between 0 and 9")]
    [InlineData(150, 50, null, 6, 0, "epochs", "between 1 and 50")]
    public void TheFormNamesAtTheFieldWhatTheApiRefuses(int train, int quality, int? maxSide, int fewShot, int? epochs, string field, string message)
    {
        var form = new NewRunForm { DatasetId = "sample", Train = train, Quality = quality, MaxSide = maxSide, FewShotCount = fewShot, Epochs = epochs };

        var problem = Assert.Single(form.Problems(SampleSplits));

        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message);
        // The api refuses the very request the form would have sent, with the same words.
        Assert.Equal(problem.Message, DatasetPreparer.Problem(form.ToRequest()));
    }

    [Fact]
    public void AskingASplitForMoreImagesThanItHasIsSaidAtTheField()
    {
        var form = new NewRunForm { DatasetId = "sample", Train = 100_000 };

        var problem = Assert.Single(form.Problems(SampleSplits));

        Assert.Equal("sampling.train", problem.Field);
        Assert.Contains("The train split has 200 images", problem.Message);
    }

    [Fact]
    public void TheDefaultsOnTheSampleAreValid() =>
        Assert.Empty(new NewRunForm { DatasetId = "sample" }.Problems(SampleSplits));

    [Fact]
    public void ChainedFineTuneSettingsAreCheckedBeforeThePipelineStarts()
    {
        var form = new NewRunForm { DatasetId = "sample", Chain = true, BatchSize = 999, Suffix = new string('x', 65) };

        var fields = form.Problems(SampleSplits).Select(p => p.Field).ToList();

        Assert.Equal(["continue.fineTune.batchSize", "continue.fineTune.suffix"], fields);
        Assert.NotNull(DatasetPreparer.Problem(form.ToRequest()));
        Assert.Equal(FineTuneRequestRules.Problem(new FineTuneRequest(BatchSize: 999)), FineTuneService.Problem(new FineTuneRequest(BatchSize: 999)));
    }

    [Fact]
    public void TheEvaluationFormNamesAtTheFieldWhatTheApiRefuses()
    {
        var form = new VqaAspire.Web.Components.Controls.EvaluationForm { MaxConcurrency = 300 };
        form.ExtraModels.Add(new() { Name = "checkpoint 10", Model = "ft:gpt-4o:ckpt-10" });
        form.ExtraModels.Add(new() { Name = "checkpoint 10", Model = "ft:gpt-4o:ckpt-20" });
        form.ExtraModels.Add(new() { Name = "local", Model = "" });

        var problems = form.Problems();

        Assert.Equal(["maxConcurrency", "models[1]", "models[2]"], problems.Select(p => p.Field));
        Assert.Contains("between 1 and 256", problems[0].Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Two models are named 'checkpoint 10'", problems[1].Message);
        // The api refuses the very request the form would have sent, with the same words.
        Assert.Equal(problems[0].Message, EvaluationWorker.Problem(form.ToRequest(fineTune: null)));
    }

    [Fact]
    public void AModelOfAnotherProviderIsSentByThatProvidersName()
    {
        var form = new VqaAspire.Web.Components.Controls.EvaluationForm();
        form.ExtraModels.Add(new() { Name = "openai fine-tune", Model = "ft:gpt-4o-2024-08-06:org::abc", Provider = " openai " });
        form.ExtraModels.Add(new() { Name = "both", Model = "llava", Endpoint = "http://localhost:11434/v1", Provider = "openai" });

        var models = form.ToRequest(fineTune: null).Models!;

        Assert.Equal(("openai fine-tune", "openai", null), (models[0].Name, models[0].Provider, models[0].Endpoint));
        // The form names at the field what the api would refuse.
        Assert.Equal("models[1]", Assert.Single(form.Problems()).Field);
    }

    [Fact]
    public void ChainedEvaluationSettingsAreCheckedBeforeThePipelineStarts()
    {
        var request = new PrepareRequest("sample", Continue: new PipelineContinuation(new FineTuneRequest(), new EvaluationRequest(Mode: "fast", JudgeModel: " ")));

        var fields = PrepareRequestRules.Check(request).Select(p => p.Field);

        Assert.Equal(["continue.evaluate.mode", "continue.evaluate.judgeModel"], fields);
        Assert.NotNull(DatasetPreparer.Problem(request));
    }

    [Fact]
    public void TheFineTuneStepsLaterWorkLandsInTheTraceItsLinkOpens()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PipelineTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        const string stepTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

        using (var poll = StepTrace.Start("vqa.finetune.poll", stepTrace))
        using (var cacheCall = PipelineTelemetry.ActivitySource.StartActivity("cache.get"))
        {
            Assert.Equal(stepTrace, poll!.TraceId.ToString());
            // Whatever the poll does (cache calls, provider requests) is in the same trace.
            Assert.Equal(stepTrace, cacheCall!.TraceId.ToString());
        }

        using var attached = StepTrace.Start("vqa.finetune.poll", null);
        Assert.NotEqual(stepTrace, attached!.TraceId.ToString());
    }

    [Fact]
    public void ThePlaygroundNamesWhatIsMissingOrWrong()
    {
        var models = new[] { new EvaluationModel("base", "gpt-4o-2024-08-06") };

        Assert.Empty(PlaygroundRules.Check(new PlaygroundRequest(models, "Who wrote this book?", DatasetId: "sample", ImageId: "img0")));
        Assert.Equal(["models", "question", "image"], PlaygroundRules.Check(new PlaygroundRequest([], " ")).Select(p => p.Field));
        Assert.Contains("http or https", PlaygroundRules.Check(new PlaygroundRequest([new("local", "llava", "ftp://x")], "q", ImageDataUrl: "data:image/png;base64,AA")).Single().Message);
        Assert.Contains("one image", PlaygroundRules.Check(new PlaygroundRequest(models, "q", DatasetId: "sample", ImageId: "img0", ImageDataUrl: "data:image/png;base64,AA")).Single().Message);
    }
}
