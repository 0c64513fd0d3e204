using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Evaluation.Provenance;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Provenance;

/// <summary>
/// Emulation is decided by who actually answered and who actually judged, per model: on the app's default provider
/// (the emulator), models and a judge asked on their own OpenAI-compatible endpoints are real.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvaluationProvenanceTests
{
    private static readonly EvaluationModel Base = new("base", "qwen2-vl", "http://localhost:8001/v1");
    private static readonly EvaluationModel FineTuned = new("fine-tuned", "qwen2-vl-ft", "http://localhost:8002/v1");

    private static readonly TestExample[] Examples =
    [
        new(1, "img1#q0", "Who wrote this book?", "Ann Lee", ["Ann Lee"], "Author", null),
        new(2, "img2#q0", "Who wrote this book?", "Bo Ma", ["Bo Ma"], "Author", null),
    ];

    [Fact]
    public void ModelsAndAJudgeOnTheirOwnEndpointsAreRealOnTheEmulatorProviderAndTheSummaryNamesTheJudgesEndpoint()
    {
        var evaluation = Evaluation([Base, FineTuned], new EvaluationRequest(Judge: new EvaluationJudge("llama3", "http://user:secret@judge.local:11434/v1?key=abc")));
        var answers = Answers("base", emulated: false).Concat(Answers("fine-tuned", emulated: false));

        var provenance = EvaluationProvenance.Of(evaluation, answers, [new JudgeVerdict("Very Similar", null, "llama3:8b")], providerEmulated: true);
        var summary = Summarize([Base, FineTuned], provenance);

        Assert.False(summary.Emulated);
        Assert.All(summary.Models, m => Assert.False(m.Emulated));
        var judge = summary.JudgedBy!;
        Assert.Equal(("llama3", "judge.local:11434/v1", false), (judge.Model, judge.Endpoint, judge.Emulated));
        Assert.Equal(["llama3:8b"], judge.Snapshots);
        Assert.Equal("llama3 at judge.local:11434/v1", summary.Judge);
        Assert.DoesNotContain("secret", summary.Judge);
        Assert.DoesNotContain("emulator", summary.Reading);
    }

    [Fact]
    public void AModelOnTheRunsEmulatorProviderIsEmulatedAndTheReadingNamesItAndNoBetterModel()
    {
        var onProvider = Base with { Endpoint = null };
        var evaluation = Evaluation([onProvider, FineTuned], new EvaluationRequest(Judge: new EvaluationJudge("llama3", "http://judge.local/v1")));

        // It answered nothing yet: where it was asked decides. Then its answers' fingerprint decides.
        var unanswered = EvaluationProvenance.Of(evaluation, Answers("fine-tuned", emulated: false), [], providerEmulated: true);
        var answered = EvaluationProvenance.Of(evaluation, Answers("base", emulated: true).Concat(Answers("fine-tuned", emulated: false)), [], providerEmulated: true);
        var summary = Summarize([onProvider, FineTuned], answered);

        Assert.True(unanswered.IsEmulated("base"));
        Assert.Equal(["base"], answered.EmulatedModels);
        Assert.True(summary.Emulated);
        Assert.Equal([true, false], summary.Models.Select(m => m.Emulated));
        Assert.StartsWith("Emulated: the OpenAI emulator answered for 'base', so a comparison with it exercises the pipeline, not a model.", summary.Reading);
        Assert.DoesNotContain("better", summary.Reading);
    }

    [Fact]
    public void AnEndpointThatAnswersWithTheEmulatorsFingerprintIsEmulated()
    {
        var evaluation = Evaluation([Base, FineTuned], new EvaluationRequest());

        var provenance = EvaluationProvenance.Of(evaluation, Answers("base", emulated: true).Concat(Answers("fine-tuned", emulated: true)), [], providerEmulated: false);

        Assert.Equal(["base", "fine-tuned"], provenance.EmulatedModels.Order());
        Assert.False(provenance.Judge.Emulated); // The judge was asked on a real provider.
    }

    [Fact]
    public void AnEmulatedJudgeOverRealAnswersSaysSoAndIsNotNamedAsTheJudgeModel()
    {
        // The judge is asked on the app's provider, the emulator; the models on their own servers.
        var evaluation = Evaluation([Base, FineTuned], new EvaluationRequest(JudgeModel: "gpt-4o"));

        var provenance = EvaluationProvenance.Of(evaluation, Answers("base", false).Concat(Answers("fine-tuned", false)),
            [new JudgeVerdict("Incorrect", null, "gpt-4o-2024-08-06", Emulated: true)], providerEmulated: true);
        var summary = Summarize([Base, FineTuned], provenance);

        Assert.False(summary.Emulated);
        Assert.True(summary.JudgedBy!.Emulated);
        Assert.Equal("the emulator's string similarity", summary.Judge);
        Assert.StartsWith("The models answered, but the emulator's string similarity graded the open-ended answers", summary.Reading);
    }

    [Theory]
    [InlineData("http://user:pw@host.example:8000/v1/?api-key=k", "host.example:8000/v1")]
    [InlineData("https://api.example.com/v1", "api.example.com/v1")]
    [InlineData("  ", null)]
    public void AnEndpointIsShownByHostPortAndPathOnly(string endpoint, string? shown) =>
        Assert.Equal(shown, EvaluationProvenance.SafeEndpoint(endpoint));

    private static EvaluationView Evaluation(IReadOnlyList<EvaluationModel> models, EvaluationRequest settings) =>
        new("eval-1", "run-1", DateTimeOffset.UnixEpoch, settings with { Models = models }, models, new RunStep(StepStatus.Running), false, null);

    private static IEnumerable<RecordedAnswer> Answers(string model, bool emulated) =>
        Examples.Select(e => new RecordedAnswer(model, e.ExampleId, e.Truth, null, 10, 2, emulated));

    private static EvaluationSummary Summarize(IReadOnlyList<EvaluationModel> models, EvaluationProvenance provenance) =>
        EvaluationSummarizer.Summarize(Examples, [.. Examples.Select(e => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, null,
            [.. models.Select(m => new ModelAnswer(m.Name, e.Truth, null, null, true, 1, "Very Similar"))]))], models, "ocr-vqa", provenance);
}
