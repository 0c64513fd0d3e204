using System.Text.Json;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Evaluation.Provenance;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Judging;

[Trait("Category", TestCategories.Unit)]
public sealed class JudgeChoiceTests
{
    [Fact]
    public void JudgeWinsOverJudgeModelWhichStillWorksAlone()
    {
        Assert.Equal(new EvaluationJudge("gpt-4o"), JudgeChoice.Of(new EvaluationRequest()));
        Assert.Equal(new EvaluationJudge("gpt-4.1"), JudgeChoice.Of(new EvaluationRequest(JudgeModel: "gpt-4.1")));
        Assert.Equal(new EvaluationJudge("llama3", "http://localhost:11434/v1"),
            JudgeChoice.Of(new EvaluationRequest(JudgeModel: "gpt-4.1", Judge: new EvaluationJudge("llama3", "http://localhost:11434/v1"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void AnEmptyJudgeModelIsAProblemNamingTheField(string? judgeModel)
    {
        Assert.Contains("judgeModel", EvaluationWorker.Problem(new EvaluationRequest(JudgeModel: judgeModel!)));
        Assert.Contains("judge.model", EvaluationWorker.Problem(new EvaluationRequest(Judge: new EvaluationJudge(judgeModel!))));
    }

    [Theory]
    [InlineData("{\"judgeModel\": \"\"}", "judgeModel")]
    [InlineData("{\"judgeModel\": null}", "judgeModel")]
    [InlineData("{\"judge\": {\"model\": \" \"}}", "judge.model")]
    public void TheRequestAsJsonIsCheckedToo(string json, string field)
    {
        var request = JsonSerializer.Deserialize<EvaluationRequest>(json, JsonSerializerOptions.Web)!;

        Assert.Contains(field, EvaluationWorker.Problem(request));
    }

    [Fact]
    public void AJudgeOnAnotherEndpointReadsFromJson()
    {
        var request = JsonSerializer.Deserialize<EvaluationRequest>("{\"judge\": {\"model\": \"llama3\", \"endpoint\": \"http://localhost:11434/v1\"}}", JsonSerializerOptions.Web)!;

        Assert.Null(EvaluationWorker.Problem(request));
        Assert.Equal(new EvaluationJudge("llama3", "http://localhost:11434/v1"), JudgeChoice.Of(request));
    }

    [Fact]
    public void AJudgeEndpointMustBeAnAbsoluteUrl()
    {
        Assert.Contains("judge.endpoint", EvaluationWorker.Problem(new EvaluationRequest(Judge: new EvaluationJudge("llama3", "not a url"))));
        Assert.Null(EvaluationWorker.Problem(new EvaluationRequest(Judge: new EvaluationJudge("llama3", "http://localhost:11434/v1"))));
    }

    [Fact]
    public void AJudgeOfACompareModelsFamilyIsWarnedAboutBySnapshotAndFamilyNotId()
    {
        // The default run: base gpt-4o-2024-08-06, judge gpt-4o (the alias), a fine-tune of that snapshot: one family.
        var defaults = Evaluation(new EvaluationRequest());
        var elsewhere = Evaluation(new EvaluationRequest(Judge: new EvaluationJudge("gpt-4o-2024-08-06", "http://localhost:8000/v1")));
        var other = Evaluation(new EvaluationRequest(JudgeModel: "gpt-4.1"));
        // An Azure judge deployment's name says nothing; the snapshot it reports does.
        var azure = Evaluation(new EvaluationRequest(JudgeModel: "grader"));

        var warning = Assert.Single(JudgeChoice.Warnings(defaults)!);
        Assert.Contains("gpt-4o family", warning);
        Assert.Contains("'base' (gpt-4o-2024-08-06)", warning);
        Assert.Contains("'fine-tuned' (ft:gpt-4o-2024-08-06:org::abc)", warning);
        Assert.Contains("its own family's answers", warning);
        Assert.Null(JudgeChoice.Warnings(elsewhere));
        Assert.Null(JudgeChoice.Warnings(other));
        Assert.Null(JudgeChoice.Warnings(azure));
        Assert.Contains("'base'", Assert.Single(JudgeChoice.Warnings(azure, ["gpt-4o-2024-08-06"])!));
        Assert.Null(JudgeChoice.Warnings(other, ["gpt-4.1-2025-04-14"]));
    }

    [Theory]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("ft:gpt-4o-2024-08-06:my-org::9abcDEF", "gpt-4o")]
    [InlineData("ft:gpt-4o-2024-08-06:my-org:vqa:9abc:ckpt-step-88", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("gpt-4.1-2025-04-14", "gpt-4.1")]
    [InlineData("gpt-3.5-turbo-0125", "gpt-3.5-turbo")]
    [InlineData("llama3.2-vision:11b", "llama3.2-vision")]
    public void AModelsFamilyIsItsBaseWithoutSnapshotDateOrFineTuneSuffix(string id, string family) =>
        Assert.Equal(family, ModelFamily.Of(id));

    [Fact]
    public void TheSelfJudgingWarningIsAboutWhoActuallyJudged()
    {
        // The default run asks judge gpt-4o; when the emulator's string similarity graded instead, no model judged its own family.
        var defaults = Evaluation(new EvaluationRequest());
        Assert.Null(EvaluationScorer.Warnings(defaults, new JudgedBy("gpt-4o", null, [], Emulated: true)));
        Assert.Contains("The judge (gpt-4o, answering as gpt-4o-2024-08-06) is of the gpt-4o family",
            Assert.Single(EvaluationScorer.Warnings(defaults, new JudgedBy("gpt-4o", null, ["gpt-4o-2024-08-06"], false))!));

        // A real judge on its own endpoint is named there, and by the snapshot it answered as; never as gpt-4o.
        var onEndpoint = new EvaluationView("eval-1", "run-1", DateTimeOffset.UnixEpoch,
            new EvaluationRequest(Judge: new EvaluationJudge("qwen2-vl-72b", "http://judge.local:8000/v1")),
            [new EvaluationModel("base", "qwen2-vl-7b"), new EvaluationModel("fine-tuned", "my-ft", "http://serve.local/v1")], new RunStep(StepStatus.Running), false, null);
        var warning = Assert.Single(EvaluationScorer.Warnings(onEndpoint, new JudgedBy("qwen2-vl-72b", "judge.local:8000/v1", ["qwen2-vl-7b"], false))!);
        Assert.StartsWith("The judge (qwen2-vl-72b at judge.local:8000/v1, answering as qwen2-vl-7b) is of the qwen2-vl-7b family, like 'base' (qwen2-vl-7b)", warning);
        Assert.DoesNotContain("gpt-4o", warning);
        Assert.Null(EvaluationScorer.Warnings(onEndpoint, new JudgedBy("qwen2-vl-72b", "judge.local:8000/v1", ["qwen2-vl-72b"], false)));
    }

    private static EvaluationView Evaluation(EvaluationRequest settings) =>
        new("eval-1", "run-1", DateTimeOffset.UnixEpoch, settings,
            [new EvaluationModel("base", "gpt-4o-2024-08-06"), new EvaluationModel("fine-tuned", "ft:gpt-4o-2024-08-06:org::abc")], new RunStep(StepStatus.Running), true, null);
}
