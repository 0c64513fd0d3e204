using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Runs;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Judging;

/// <summary>
/// A judge call that times out (the request limit's <see cref="TimeoutException"/>) is a counted judge failure: the
/// evaluation is scored, never failed after every answer is in.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class JudgeTimeoutTests(GarnetFixture cache) : IClassFixture<GarnetFixture>, IDisposable
{
    /// <summary>Short, so the hung call ends quickly; the judge that answers does so at once.</summary>
    private static readonly TimeSpan RequestLimit = TimeSpan.FromMilliseconds(300);

    private readonly string _folder = Directory.CreateTempSubdirectory("vqa-judge-timeout-").FullName;

    [Fact]
    public async Task AJudgeThatNeverAnswersOneAnswerIsCountedAsAJudgeFailureAndTheRestAreGraded()
    {
        await cache.FlushAsync();
        var provider = new TimeLimitedProvider(new FakeJudgeProvider("http://judge.local/v1", JudgeRatings.VerySimilar) { HangOn = "Bob" }, RequestLimit);
        var scorer = new EvaluationScorer(provider, new JudgeService(cache.Redis, new JudgePrompts(new RunStore(cache.Redis, TimeProvider.System), new DatasetRegistry(cache.Redis))),
            Options.Create(new PricingOptions()), NullLogger<EvaluationScorer>.Instance);
        TestExample[] examples =
        [
            new(1, "img1#q0", "Who wrote this book?", "Ann", ["Ann"], "Author", null),
            new(2, "img2#q0", "Who wrote this book?", "Bob", ["Bob"], "Author", null),
        ];
        EvaluationModel[] models = [new("base", "m")];
        var evaluation = new EvaluationView("eval-t", "run-t", DateTimeOffset.UnixEpoch, new EvaluationRequest(Models: models, JudgeModel: "judge"), models,
            new RunStep(StepStatus.Running), false, null);
        await using var log = await AnswerLog.OpenAsync(Path.Combine(_folder, "answers.jsonl"), CancellationToken.None);
        foreach (var example in examples)
        {
            await log.AppendAsync(new RecordedAnswer("base", example.ExampleId, example.Truth, null, 10, 2, false), CancellationToken.None);
        }

        using var session = new EvaluationSession(evaluation, examples, Path.Combine(_folder, "test.jsonl"), _folder, log, "ocr-vqa");
        var scored = await scorer.ScoreAsync(session, CancellationToken.None);

        var model = Assert.Single(scored.Summary.Models);
        Assert.Equal(1, model.JudgeFailures);
        Assert.Equal(1, model.JudgeRatings[JudgeRatings.VerySimilar]);
        Assert.Equal([JudgeRatings.VerySimilar, null], scored.Results.Select(r => r.Answers[0].JudgeRating));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
