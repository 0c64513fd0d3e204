using System.Text.Json;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Judging;
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
    public void AModelJudgingItsOwnAnswersIsWarnedAbout()
    {
        var self = Evaluation(new EvaluationRequest(JudgeModel: "gpt-4o-2024-08-06"));
        var elsewhere = Evaluation(new EvaluationRequest(Judge: new EvaluationJudge("gpt-4o-2024-08-06", "http://localhost:8000/v1")));
        var other = Evaluation(new EvaluationRequest(JudgeModel: "gpt-4.1"));

        var warning = Assert.Single(JudgeChoice.Warnings(self)!);
        Assert.Contains("'base'", warning);
        Assert.Contains("its own answers", warning);
        Assert.Null(JudgeChoice.Warnings(elsewhere));
        Assert.Null(JudgeChoice.Warnings(other));
    }

    private static EvaluationView Evaluation(EvaluationRequest settings) =>
        new("eval-1", "run-1", DateTimeOffset.UnixEpoch, settings,
            [new EvaluationModel("base", "gpt-4o-2024-08-06"), new EvaluationModel("fine-tuned", "ft:gpt-4o:x")], new RunStep(StepStatus.Running), true, null);
}
