using VqaAspire.Api.Evaluation;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Api.Runs;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Tests.Web;

namespace VqaAspire.Tests.FineTuning;

/// <summary>
/// "Run again on another provider": a run fine-tuned on OpenAI is fine-tuned on the app's Azure OpenAI from the same
/// prepared files, keeping the OpenAI fine-tune (its record, events and metrics); bad choices are refused before
/// anything is uploaded, naming the field.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class RunAgainOnAnotherProviderTests(GarnetFixture cache) : IClassFixture<GarnetFixture>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vqa-rerun-").FullName;

    private static OtherProviders Others()
    {
        var others = new OtherProviders();
        others.ByName["openai"] = new ProviderOptions { Kind = "openai", ApiKey = "sk-other" };
        others.ByName["vllm"] = new ProviderOptions { Kind = "openai-compatible", Endpoint = "http://127.0.0.1:8000/v1" };
        others.ByName["azure-west"] = new ProviderOptions { Kind = "azure", Endpoint = "http://127.0.0.1:10", ApiKey = "k" };
        return others;
    }

    private (FineTuneService Service, RunStore Runs, FineTuneStore Store) Build(OtherProviders? others = null)
    {
        var services = new AzureAppServices(cache.Redis, _root, new AzureProviderOptions { BaseDeployment = "gpt-4o", JudgeDeployment = "gpt-4o-judge" }, others ?? Others());
        return (services.FineTunes, services.Runs, services.Store);
    }

    /// <summary>A succeeded fine-tune on the configured OpenAI provider.</summary>
    private static FineTuneView OpenAIFineTune(string baseModel = "gpt-4o-2024-08-06") =>
        new("ftjob-openai1", baseModel, "succeeded", $"ft:{baseModel}:org::abc123", ["file-train", "file-val"], null, 64_000, 1.6m, WebTestData.Started, WebTestData.Started.AddHours(1),
            null, [], false, null, new FineTuneRequest(baseModel, Epochs: 2, Suffix: "covers"), ProviderKind: "openai", Provider: "openai");

    /// <summary>A prepared run whose fine-tune on OpenAI ended as <paramref name="step"/>.</summary>
    private static async Task<RunView> FineTunedRunAsync(RunStore runs, FineTuneView fineTune, StepStatus step = StepStatus.Succeeded)
    {
        var created = await runs.CreateAsync(new PrepareRequest("sample"));
        var prepared = WebTestData.PreparedRun(created.Id);
        return await runs.UpdateAsync(created.Id, r => r with
        {
            Prepare = prepared.Prepare,
            Preparation = prepared.Preparation,
            Upload = new RunStep(StepStatus.Succeeded, 1),
            FineTuneStep = new RunStep(step, 1, "Trained"),
            FineTune = fineTune,
        });
    }

    [Fact]
    public async Task MovingToAzureKeepsTheOpenAIFineTuneWithItsMetricsAndQueuesANewJobOnAzure()
    {
        var (service, runs, store) = Build();
        var run = await FineTunedRunAsync(runs, OpenAIFineTune());
        await store.SaveSeriesAsync(run.Id, [new FineTunePoint(1, 1.2, 0.5, 1.3, 0.45)]);
        await store.AppendEventsAsync(run.Id, null, [new FineTuneEvent("ftevent-1", WebTestData.Started, "info", "message", "Step 1")]);

        var (moved, problem, status) = await service.StartOnProviderAsync(run.Id, new FineTuneOnProviderRequest("azure"));

        Assert.Null(problem);
        Assert.Equal(202, status);
        // The OpenAI fine-tune stays on the run as it ended, and its model can still be asked there.
        var kept = Assert.Single(moved!.EarlierFineTunes!);
        Assert.Equal(("ftjob-openai1", "openai", "openai", "succeeded", "ft:gpt-4o-2024-08-06:org::abc123", 64_000L),
            (kept.JobId, kept.Provider, kept.ProviderKind, kept.Status, kept.FineTunedModel, kept.TrainedTokens));
        // A new job on the app's Azure OpenAI, from the same settings (Azure's own choices left to its settings).
        Assert.Equal((null, "azure", "not_created", null), (moved.FineTune!.Provider, moved.FineTune.ProviderKind, moved.FineTune.Status, moved.FineTune.JobId));
        Assert.Equal(new FineTuneRequest("gpt-4o-2024-08-06", Epochs: 2, Suffix: "covers"), moved.FineTune.Settings);
        Assert.Equal((StepStatus.Queued, StepStatus.Queued), (moved.Upload!.Status, moved.FineTuneStep!.Status));
        Assert.Contains(run.Id, await store.FollowedRunsAsync());
        // The earlier job's metrics and events are kept under its job id; the new job starts its own.
        Assert.Equal([1.2], (await store.SeriesAsync(run.Id, "ftjob-openai1")).Select(p => p.TrainLoss));
        Assert.Equal(["ftevent-1"], (await store.EventsAsync(run.Id, 0, 10, "ftjob-openai1")).Select(e => e.Id));
        Assert.Empty(await store.SeriesAsync(run.Id));
        Assert.Null(await store.EventCursorAsync(run.Id));
    }

    [Theory]
    [InlineData(null, "provider is required: one of azure (the app's provider), azure-west, openai, vllm.")]
    [InlineData("bedrock", "provider 'bedrock' is not one of azure (the app's provider), azure-west, openai, vllm.")]
    [InlineData("vllm", "provider 'vllm' is OpenAI-compatible, which the app uses for evaluation only")]
    [InlineData("azure-west", "provider 'azure-west' is Azure OpenAI: the app fine-tunes on Azure through its own provider only")]
    public async Task AProviderThatCannotFineTuneIsRefusedNamingTheField(string? provider, string expected)
    {
        var (service, runs, _) = Build();
        var run = await FineTunedRunAsync(runs, OpenAIFineTune());

        var (_, problem, status) = await service.StartOnProviderAsync(run.Id, new FineTuneOnProviderRequest(provider));

        Assert.Equal(400, status);
        Assert.StartsWith(expected, problem);
        var unchanged = (await runs.GetAsync(run.Id))!;
        Assert.Equal(("ftjob-openai1", "openai", null), (unchanged.FineTune!.JobId, unchanged.FineTune.Provider, unchanged.EarlierFineTunes));
    }

    [Fact]
    public async Task AKnownKindThatIsNotConfiguredSaysHowToConfigureIt()
    {
        var (service, runs, _) = Build(new OtherProviders());
        var run = await FineTunedRunAsync(runs, OpenAIFineTune() with { Provider = null });

        var (_, problem, status) = await service.StartOnProviderAsync(run.Id, new FineTuneOnProviderRequest("openai"));

        Assert.Equal(400, status);
        Assert.StartsWith("provider 'openai' is not configured: the app's provider is azure; configure openai as OtherProviders:{name}:Kind=openai", problem);
    }

    [Fact]
    public async Task ABaseModelAzureCannotFineTuneWithImagesIsRefusedBeforeAnyUpload()
    {
        var (service, runs, store) = Build();
        var run = await FineTunedRunAsync(runs, OpenAIFineTune("gpt-4o-mini-2024-07-18"));

        var (_, problem, status) = await service.StartOnProviderAsync(run.Id, new FineTuneOnProviderRequest("azure"));

        Assert.Equal(400, status);
        Assert.StartsWith("baseModel 'gpt-4o-mini-2024-07-18': Azure OpenAI fine-tunes with images only gpt-4o-2024-08-06 and gpt-4.1-2025-04-14", problem);
        var unchanged = (await runs.GetAsync(run.Id))!;
        Assert.Null(unchanged.EarlierFineTunes);
        Assert.DoesNotContain(run.Id, await store.FollowedRunsAsync());
    }

    [Fact]
    public async Task SettingsOutOfRangeAreRefusedAtTheirField()
    {
        var (service, runs, _) = Build();
        var run = await FineTunedRunAsync(runs, OpenAIFineTune());

        var (_, problem, status) = await service.StartOnProviderAsync(run.Id, new FineTuneOnProviderRequest("azure", new FineTuneRequest(Epochs: 80)));

        Assert.Equal(400, status);
        Assert.StartsWith("settings.epochs: epochs must be between 1 and 50", problem);
    }

    [Fact]
    public async Task AFineTuneStillRunningOrOnTheSameProviderIsNotRunAgain()
    {
        var (service, runs, _) = Build();
        var running = await FineTunedRunAsync(runs, OpenAIFineTune() with { Status = "running", FineTunedModel = null }, StepStatus.Running);
        var (_, runningProblem, runningStatus) = await service.StartOnProviderAsync(running.Id, new FineTuneOnProviderRequest("azure"));
        Assert.Equal(409, runningStatus);
        Assert.Contains("still running: wait for it to end, or cancel it", runningProblem);

        var done = await FineTunedRunAsync(runs, OpenAIFineTune());
        var (_, sameProblem, sameStatus) = await service.StartOnProviderAsync(done.Id, new FineTuneOnProviderRequest("OpenAI"));
        Assert.Equal(400, sameStatus);
        Assert.StartsWith("provider 'OpenAI': run", sameProblem);
    }

    [Fact]
    public void TheMovedRunIsEvaluatedWithEachFineTuneOnItsOwnProviderBesideTheBase()
    {
        var run = WebTestData.PreparedRun() with
        {
            FineTune = new FineTuneView("ftjob-azure", "gpt-4o-2024-08-06", "succeeded", "gpt-4o-2024-08-06.ft-abc-covers", [], null, null, null, null, null, null, [], false,
                "vqa-run-1", new FineTuneRequest(), DeploymentState: "Succeeded", ProviderKind: "azure"),
            EarlierFineTunes = [OpenAIFineTune()],
        };

        var models = EvaluationWorker.DefaultModels(run);

        Assert.Equal(
            [new EvaluationModel("base", "gpt-4o-2024-08-06"), new EvaluationModel("fine-tuned", "vqa-run-1"),
                new EvaluationModel("fine-tuned on openai", "ft:gpt-4o-2024-08-06:org::abc123", Provider: "openai")],
            models);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
