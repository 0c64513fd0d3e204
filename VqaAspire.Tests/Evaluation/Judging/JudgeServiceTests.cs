using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Runs;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Judging;

[Trait("Category", TestCategories.Unit)]
public sealed class JudgeServiceTests(GarnetFixture cache) : IClassFixture<GarnetFixture>
{
    private const string EmulatorEndpoint = "http://localhost:5099/v1";
    private static readonly JudgePrompt Prompt = JudgePrompt.For(ColumnPresets.OcrVqa, null);

    private JudgeService Judge() => new(cache.Redis, new JudgePrompts(new RunStore(cache.Redis, TimeProvider.System), new DatasetRegistry(cache.Redis)));

    [Fact]
    public async Task AVerdictCachedUnderTheEmulatorIsNotReusedForAnotherEndpoint()
    {
        await cache.FlushAsync();
        var judge = Judge();
        var emulator = new FakeJudgeProvider(EmulatorEndpoint, JudgeRatings.VerySimilar);
        var real = new FakeJudgeProvider("https://api.openai.com/v1", JudgeRatings.Incorrect);

        var first = await judge.RateAsync(emulator, "gpt-4o", Prompt, "Who wrote this book?", "Jane Austen", "Jane Austin", CancellationToken.None);
        var again = await judge.RateAsync(emulator, "gpt-4o", Prompt, "Who wrote this book?", "Jane Austen", "Jane Austin", CancellationToken.None);
        var elsewhere = await judge.RateAsync(real, "gpt-4o", Prompt, "Who wrote this book?", "Jane Austen", "Jane Austin", CancellationToken.None);

        Assert.Equal(JudgeRatings.VerySimilar, first?.Rating);
        Assert.Equal(first, again);
        Assert.Equal(1, emulator.Calls);
        Assert.Equal(JudgeRatings.Incorrect, elsewhere?.Rating);
        Assert.Equal(1, real.Calls);
    }

    [Fact]
    public async Task TheExplanationAndSnapshotAreKeptAndAFixedSeedIsSent()
    {
        await cache.FlushAsync();
        var judge = Judge();
        var provider = new FakeJudgeProvider(EmulatorEndpoint, JudgeRatings.MostlySimilar);

        var fresh = await judge.RateAsync(provider, "gpt-4o", Prompt, "What is the title?", "Emma", "Emma: A Novel", CancellationToken.None);
        var cached = await judge.RateAsync(provider, "gpt-4o", Prompt, "What is the title?", "Emma", "Emma: A Novel", CancellationToken.None);

        Assert.Equal(JudgeService.Seed, provider.LastOptions?.Seed);
        Assert.Equal(0, provider.LastOptions?.Temperature);
        Assert.Equal("Mostly Similar because the fake says so.", fresh?.Explanation);
        Assert.Equal("gpt-4o-2024-08-06", fresh?.ModelSnapshot);
        Assert.Equal(fresh, cached);
        Assert.Equal(1, provider.Calls);
    }

    [Fact]
    public async Task AVerdictFromAnOlderSnapshotIsJudgedAgainOnceTheAliasHasMoved()
    {
        await cache.FlushAsync();
        var judge = Judge();
        var provider = new FakeJudgeProvider(EmulatorEndpoint, JudgeRatings.SomewhatSimilar, snapshot: "gpt-4o-2024-08-06");
        await judge.RateAsync(provider, "gpt-4o", Prompt, "Q1", "A", "B", CancellationToken.None);

        // The alias now answers from a newer snapshot: the next fresh call reveals it.
        provider.Snapshot = "gpt-4o-2024-11-20";
        provider.Rating = JudgeRatings.Incorrect;
        await judge.RateAsync(provider, "gpt-4o", Prompt, "Q2", "A", "B", CancellationToken.None);
        var rejudged = await judge.RateAsync(provider, "gpt-4o", Prompt, "Q1", "A", "B", CancellationToken.None);

        Assert.Equal(3, provider.Calls);
        Assert.Equal(JudgeRatings.Incorrect, rejudged?.Rating);
        Assert.Equal("gpt-4o-2024-11-20", rejudged?.ModelSnapshot);
    }

    [Fact]
    public async Task ARerunThatWouldHitTheCacheAfterTheAliasMovedGetsEveryVerdictFromTheNewSnapshot()
    {
        await cache.FlushAsync();
        var judge = Judge();
        var provider = new FakeJudgeProvider(EmulatorEndpoint, JudgeRatings.SomewhatSimilar, snapshot: "gpt-4o-2024-08-06");
        var evaluation = new EvaluationView("eval-1", "run-1", DateTimeOffset.UnixEpoch, new EvaluationRequest(JudgeModel: "gpt-4o"),
            [new EvaluationModel("base", "m")], new RunStep(StepStatus.Running), false, null);
        using (var first = await judge.StartAsync(provider, evaluation))
        {
            await first.RateAsync("Q1", "A", "B", CancellationToken.None);
            await first.RateAsync("Q2", "A", "B", CancellationToken.None);
            await first.RateAsync("Q1", "A", "B", CancellationToken.None); // A hit of the pinned snapshot.
        }

        // The alias moved; every verdict of the rerun is cached from the old snapshot, so no miss would reveal it.
        provider.Snapshot = "gpt-4o-2024-11-20";
        provider.Rating = JudgeRatings.Incorrect;
        using var rerun = await judge.StartAsync(provider, evaluation);
        var q1 = await rerun.RateAsync("Q1", "A", "B", CancellationToken.None);
        var q2 = await rerun.RateAsync("Q2", "A", "B", CancellationToken.None);
        var q1Again = await rerun.RateAsync("Q1", "A", "B", CancellationToken.None);

        // 2 calls for the first evaluation; the rerun's first verdict is asked (it names the new snapshot), Q2's cached
        // verdict is from the old one and is asked again, Q1's second is a hit of the new one.
        Assert.Equal(4, provider.Calls);
        Assert.Equal("gpt-4o-2024-11-20", rerun.Snapshot);
        Assert.All([q1, q2, q1Again], v => Assert.Equal(("gpt-4o-2024-11-20", JudgeRatings.Incorrect), (v!.ModelSnapshot, v.Rating)));
    }

    [Fact]
    public void SnapshotsThatMixedInOneEvaluationAreWarnedAbout()
    {
        var evaluation = new EvaluationView("eval-1", "run-1", DateTimeOffset.UnixEpoch, new EvaluationRequest(JudgeModel: "grader"),
            [new EvaluationModel("base", "qwen2-vl")], new RunStep(StepStatus.Running), false, null);

        var warning = Assert.Single(EvaluationScorer.Warnings(evaluation, new JudgedBy("grader", null, ["gpt-4.1-2025-04-14", "gpt-4.1-2025-06-01"], false))!);

        Assert.StartsWith("The judge answered as 2 snapshots (gpt-4.1-2025-04-14, gpt-4.1-2025-06-01) during this evaluation", warning);
        Assert.Null(EvaluationScorer.Warnings(evaluation, new JudgedBy("grader", null, ["gpt-4.1-2025-04-14"], false)));
    }

    [Fact]
    public async Task ADifferentDatasetPromptIsADifferentVerdict()
    {
        await cache.FlushAsync();
        var judge = Judge();
        var provider = new FakeJudgeProvider(EmulatorEndpoint, JudgeRatings.VerySimilar);

        await judge.RateAsync(provider, "gpt-4o", Prompt, "Q", "A", "B", CancellationToken.None);
        await judge.RateAsync(provider, "gpt-4o", JudgePrompt.For(ColumnPresets.ChartQa, null), "Q", "A", "B", CancellationToken.None);

        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task AnEvaluationsJudgeIsAskedOnItsOwnEndpointWithThePromptForTheRunsDataset()
    {
        await cache.FlushAsync();
        var judge = Judge();
        var registry = new DatasetRegistry(cache.Redis);
        await registry.SaveAsync(new DatasetEntry(new DatasetSummary("charts", "Charts", DatasetSourceKinds.Sample, "datasets/charts", ColumnPresets.ChartQa,
            DatasetStatuses.Ready, 1, null, null, DateTimeOffset.UnixEpoch, null, [], 0, []), null));
        var run = await new RunStore(cache.Redis, TimeProvider.System).CreateAsync(new PrepareRequest("charts"));
        var runProvider = new FakeJudgeProvider(EmulatorEndpoint, JudgeRatings.VerySimilar);
        var evaluation = new EvaluationView("eval-1", run.Id, DateTimeOffset.UnixEpoch,
            new EvaluationRequest(Judge: new EvaluationJudge("llama3", "http://localhost:11434/v1")), [new EvaluationModel("base", "gpt-4o")], new RunStep(StepStatus.Running), true, null);

        using var session = await judge.StartAsync(runProvider, evaluation);
        await session.RateAsync("What is the peak?", "42", "42%", CancellationToken.None);

        Assert.Equal("llama3", session.Model);
        Assert.Contains("charts", session.Prompt.Text);
        Assert.DoesNotContain("book covers", session.Prompt.Text);
        Assert.Equal(0, runProvider.Calls);
        Assert.Equal(1, Assert.Single(runProvider.Others).Calls);
    }

    [Fact]
    public void TheEndpointIdentityIsHostAndPathWithoutSecrets()
    {
        var settings = new VqaAspire.Api.Providers.ProviderOptions { Kind = "openai", ApiKey = "sk-secret" };

        Assert.Equal("api.openai.com/v1", JudgeService.EndpointIdentity(settings));
        Assert.Equal("localhost:5099/v1", JudgeService.EndpointIdentity(new VqaAspire.Api.Providers.ProviderOptions { Kind = "emulator", Endpoint = EmulatorEndpoint }));
    }

    [Theory]
    [InlineData("{\"rating\":\"Very Similar\",\"explanation\":\" Same name. \"}", "Very Similar", "Same name.")]
    [InlineData("{\"rating\":\"Incorrect\"}", "Incorrect", null)]
    public void AVerdictIsReadWithItsExplanation(string text, string rating, string? explanation)
    {
        var verdict = JudgeService.ReadVerdict(text, "snap");

        Assert.Equal(new JudgeVerdict(rating, explanation, "snap"), verdict);
    }

    [Theory]
    [InlineData("{\"rating\":\"Great\"}")]
    [InlineData("not json")]
    [InlineData("[1]")]
    public void AnUnreadableVerdictIsNull(string text) => Assert.Null(JudgeService.ReadVerdict(text, null));
}
