using System.Net.Http.Json;
using VqaAspire.Contracts;
using static VqaAspire.Tests.Infrastructure.Polling;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// The verdict on a first real try, through the whole app: models and a judge on OpenAI-compatible servers of their own
/// (started in the test process) while the app's provider stays the emulator. A 5-cover pilot is too few covers; the
/// sample's full test split names the model right 90% of the time over the one right 30% (which also fails 40% of its
/// requests with 500s, retried); a fine-tuned deployment answering 404 names no winner and says why.
/// </summary>
public sealed partial class PipelineThroughApiTests
{
    /// <summary>The whole test split, answered twice (500s retried with backoff) and judged, on a shared machine.</summary>
    private static readonly TimeSpan FullSplitEvaluationTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task RealModelsOnTheirOwnEndpointsAreTooFewCoversToTellAtFiveAndTheNinetyPercentModelWinsOnTheFullTestSplit()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var pilot = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(10, 0, 5), Prompt: new PromptSettings(FewShotCount: 0)));
        var full = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(10, 0, 100_000), Prompt: new PromptSettings(FewShotCount: 0)));
        var truth = new TestSetTruth();
        truth.AddRun(fixture.WorkspaceRoot, pilot.Id);
        truth.AddRun(fixture.WorkspaceRoot, full.Id);
        await using var weak = await OpenAICompatibleTestServer.ModelAsync(truth, "weak", rightPercent: 30, failPercent: 40);
        await using var strong = await OpenAICompatibleTestServer.ModelAsync(truth, "strong", rightPercent: 90);
        await using var judge = await OpenAICompatibleTestServer.JudgeAsync();
        var request = new EvaluationRequest([new("base", "weak-vl", weak.Endpoint), new("fine-tuned", "strong-vl", strong.Endpoint)],
            Judge: new EvaluationJudge("test-judge", judge.Endpoint));

        var onPilot = await EvaluateToTheEndAsync(api, pilot.Id, request);
        var onFull = await EvaluateToTheEndAsync(api, full.Id, request, FullSplitEvaluationTimeout);

        // Real models, real judge: nothing emulated although the app's provider is the emulator.
        foreach (var evaluation in new[] { onPilot, onFull })
        {
            Assert.True(evaluation.Step.Status == StepStatus.Succeeded, evaluation.Step.Message);
            Assert.False(evaluation.Emulated);
            var summary = evaluation.Summary!;
            Assert.All(summary.Models, m => Assert.False(m.Emulated));
            Assert.Equal(("test-judge", false), (summary.JudgedBy!.Model, summary.JudgedBy.Emulated));
            Assert.Equal($"test-judge at {new Uri(judge.Endpoint).Authority}/v1", summary.Judge);
            Assert.DoesNotContain("emulator", summary.Reading);
        }

        var tooFew = onPilot.Summary!.Verdict!;
        Assert.Equal((VerdictOutcomes.TooFewCovers, null, 5), (tooFew.Outcome, tooFew.Winner, tooFew.Covers));
        Assert.StartsWith("Too few covers to tell (5 covers; 20 needed)", tooFew.Reading);

        // The weak model's 500s were retried: every question answered, so its failures are not its quality.
        var verdict = onFull.Summary!.Verdict!;
        Assert.True(verdict.Covers >= 20, $"{verdict.Covers} covers in the sample's test split");
        Assert.All(verdict.Coverage, c => Assert.Equal(c.Total, c.Answered));
        Assert.True(weak.Requests > verdict.Coverage[0].Total * 1.3, $"{weak.Requests} requests to the weak server for {verdict.Coverage[0].Total} questions: its 500s were asked again");
        Assert.Equal((VerdictOutcomes.Better, "fine-tuned"), (verdict.Outcome, verdict.Winner));
        Assert.True(verdict.SignFlipPValue < 0.05);
        var headline = onFull.Summary.Headline!;
        Assert.InRange(headline.Points!.Value, 40, 80); // About 90% - 30% = 60 points.
        Assert.Contains("fine-tuned is better", onFull.Summary.Reading);
    }

    [Fact]
    public async Task AFineTunedDeploymentThatAnswers404EverywhereNamesNoWinnerShowsItsCoverageAndSaysWhy()
    {
        using var api = fixture.CreateHttpClient("api");
        await WaitForDatasetAsync(api, "sample");
        var run = await PrepareAsync(api, new PrepareRequest("sample", new SamplingSettings(10, 0, 25), Prompt: new PromptSettings(FewShotCount: 0)));
        var truth = new TestSetTruth();
        truth.AddRun(fixture.WorkspaceRoot, run.Id);
        await using var strong = await OpenAICompatibleTestServer.ModelAsync(truth, "strong", rightPercent: 90);
        await using var missing = await OpenAICompatibleTestServer.MissingDeploymentAsync();
        await using var judge = await OpenAICompatibleTestServer.JudgeAsync();

        var evaluation = await EvaluateToTheEndAsync(api, run.Id, new EvaluationRequest(
            [new("base", "strong-vl", strong.Endpoint), new("fine-tuned", "my-ft-deployment", missing.Endpoint)], Judge: new EvaluationJudge("test-judge", judge.Endpoint)));

        var examples = run.Preparation!.Splits.Single(s => s.Split == "test").Examples;
        var summary = evaluation.Summary!;
        var verdict = summary.Verdict!;
        // Base's answers were scored: completed, with the unanswered counted and a retry offered; the verdict names no winner.
        Assert.Equal(StepStatus.Succeeded, evaluation.Step.Status);
        Assert.StartsWith($"Completed with {examples} unanswered (fine-tuned {examples} of {examples}", evaluation.Step.Message);
        Assert.Equal((VerdictOutcomes.TooManyUnanswered, null), (verdict.Outcome, verdict.Winner));
        Assert.Equal([("base", examples, examples), ("fine-tuned", 0, examples)], verdict.Coverage.Select(c => (c.Name, c.Answered, c.Total)));
        Assert.Contains($"'fine-tuned' left {examples} of {examples} unanswered (100.0%)", verdict.Reading);
        Assert.Contains("failures of the deployment", verdict.Reading);
        Assert.Equal((0, examples, 0), (summary.Headline!.Pairs, summary.Headline.AnsweredA, summary.Headline.AnsweredB));
        Assert.DoesNotContain("is better", summary.Reading);
        Assert.False(evaluation.Emulated);
    }

    /// <summary>Starts an evaluation and waits until it ends, completed (unanswered questions counted; a retry asks only them) or failed (nothing to score).</summary>
    private static async Task<EvaluationView> EvaluateToTheEndAsync(HttpClient api, string runId, EvaluationRequest request, TimeSpan? timeout = null)
    {
        using var response = await api.PostAsJsonAsync($"/api/runs/{runId}/evaluations", request, Json);
        var id = (await response.Content.ReadFromJsonAsync<EvaluationView>(Json))!.Id;
        return (await WaitAsync(async () => await api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{id}", Json),
            e => e?.Step.Status is StepStatus.Succeeded or StepStatus.Failed, timeout ?? StepTimeout))!;
    }
}
