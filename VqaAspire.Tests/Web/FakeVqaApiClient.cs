using System.Net;
using VqaAspire.Contracts;
using VqaAspire.Web.Services;

namespace VqaAspire.Tests.Web;

/// <summary>Answers in the api's place for component tests: canned views, and a record of what the page asked for.</summary>
internal sealed class FakeVqaApiClient() : VqaApiClient(new HttpClient(new RefusingHandler()) { BaseAddress = new Uri("http://api.invalid") })
{
    public ApiStatus Status { get; set; } = new(new ProviderStatus("emulator", "localhost:5000", IsEmulated: true, Answers: true, null),
        new CacheStatus("embedded", true, 1.2, null), DateTimeOffset.UtcNow);

    public Dictionary<string, RunView> Runs { get; } = [];

    public Dictionary<string, EvaluationView> Evaluations { get; } = [];

    public List<FineTunePoint> Metrics { get; } = [];

    public List<FineTuneEvent> Events { get; } = [];

    public List<ExampleResult> Examples { get; } = [];

    public List<DatasetSummary> Datasets { get; } = [];

    public List<PrepareRequest> StartedRuns { get; } = [];

    public List<string> StartedFineTunes { get; } = [];

    /// <summary>Azure actions the page sent: "pause run-1", "delete-deployment run-1"...</summary>
    public List<string> AzureActions { get; } = [];

    public List<(string RunId, EvaluationRequest Request)> StartedEvaluations { get; } = [];

    public List<string> CancelledEvaluations { get; } = [];

    public List<PlaygroundRequest> PlaygroundQuestions { get; } = [];

    /// <summary>When set, every read fails with it (the api is down).</summary>
    public Exception? Failure { get; set; }

    public int RunReads { get; private set; }

    public override Task<ApiStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Answer(Status);

    public override Task<RunView?> GetRunAsync(string id, CancellationToken cancellationToken = default)
    {
        RunReads++;
        return Answer(Runs.GetValueOrDefault(id));
    }

    public override Task<IReadOnlyList<RunView>> ListRunsAsync(int offset = 0, int limit = 50, CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<RunView>>([.. Runs.Values.OrderByDescending(r => r.CreatedAt)]);

    /// <summary>Power plans the page asked for.</summary>
    public List<PowerPlanRequest> PowerPlans { get; } = [];

    public override Task<PowerPlan> PlanPowerAsync(PowerPlanRequest request, CancellationToken cancellationToken = default)
    {
        PowerPlans.Add(request);
        return Answer(new PowerPlan(request.DifferencePoints, 48, 233, 746, 550_000, 26_000, 1.95m, 0.2, 1.5, 4.85,
            ["discordance 0.2 (assumed)"], "To find a true difference of 10 points 80% of the time (5% two-sided): 48 test covers (233 questions), 746 requests, about $1.95."));
    }

    public override Task<RunView> StartRunAsync(PrepareRequest request, CancellationToken cancellationToken = default)
    {
        StartedRuns.Add(request);
        var run = new RunView($"run-{StartedRuns.Count}", request.DatasetId, DateTimeOffset.UtcNow, request, new RunStep(StepStatus.Queued), null);
        Runs[run.Id] = run;
        return Answer(run);
    }

    public override Task<RunView> StartFineTuneAsync(string runId, FineTuneRequest request, CancellationToken cancellationToken = default)
    {
        StartedFineTunes.Add(runId);
        return Answer(Runs[runId]);
    }

    public override Task<RunView> StartFineTuneOnProviderAsync(string runId, FineTuneOnProviderRequest request, CancellationToken cancellationToken = default)
    {
        AzureActions.Add($"fine-tune {runId} on {request.Provider}");
        return Answer(Runs[runId]);
    }

    public override Task<RunView> PauseFineTuneAsync(string runId, bool pause, CancellationToken cancellationToken = default)
    {
        AzureActions.Add($"{(pause ? "pause" : "resume")} {runId}");
        return Answer(Runs[runId]);
    }

    public override Task<RunView> DeleteFineTuneDeploymentAsync(string runId, CancellationToken cancellationToken = default)
    {
        AzureActions.Add($"delete-deployment {runId}");
        return Answer(Runs[runId]);
    }

    public override Task<EvaluationView> StartEvaluationAsync(string runId, EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        StartedEvaluations.Add((runId, request));
        var evaluation = new EvaluationView($"eval-{StartedEvaluations.Count + 1}", runId, DateTimeOffset.UtcNow, request,
            request.Models ?? [], new RunStep(StepStatus.Queued), true, null);
        Evaluations[evaluation.Id] = evaluation;
        return Answer(evaluation);
    }

    public override Task<EvaluationView> CancelEvaluationAsync(string id, CancellationToken cancellationToken = default)
    {
        CancelledEvaluations.Add(id);
        Evaluations[id] = Evaluations[id] with { Step = Evaluations[id].Step with { Status = StepStatus.Cancelled } };
        return Answer(Evaluations[id]);
    }

    /// <summary>Each model answers its own name, with tokens and a latency that tell the models apart.</summary>
    public override Task<PlaygroundResult> AskPlaygroundAsync(PlaygroundRequest request, CancellationToken cancellationToken = default)
    {
        PlaygroundQuestions.Add(request);
        return Answer(new PlaygroundResult(request.Question,
            [.. request.Models.Select((m, i) => new PlaygroundAnswer(m.Name, m.Model, m.Endpoint, $"Answer of {m.Name}", null, 800 + i, 3 + i, 120.5 + i * 10, true))]));
    }

    public override Task<IReadOnlyList<FineTuneEvent>> GetFineTuneEventsAsync(string runId, CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<FineTuneEvent>>(Events);

    public override Task<IReadOnlyList<FineTunePoint>> GetFineTuneMetricsAsync(string runId, CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<FineTunePoint>>(Metrics);

    public override Task<IReadOnlyList<EvaluationView>> ListEvaluationsForRunAsync(string runId, CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<EvaluationView>>([.. Evaluations.Values.Where(e => e.RunId == runId)]);

    public override Task<IReadOnlyList<EvaluationView>> ListEvaluationsAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<EvaluationView>>([.. Evaluations.Values]);

    public override Task<EvaluationView?> GetEvaluationAsync(string id, CancellationToken cancellationToken = default) =>
        Answer(Evaluations.GetValueOrDefault(id));

    public override Task<EvaluationExamplePage> GetEvaluationExamplesAsync(string id, string? kind, bool disagreeOnly, int offset, int limit,
        CancellationToken cancellationToken = default)
    {
        var filtered = Examples.Where(e => string.IsNullOrEmpty(kind) || e.Kind == kind)
            .Where(e => !disagreeOnly || e.Answers.Select(a => a.StrictRight).Distinct().Count() > 1).ToList();
        return Answer(new EvaluationExamplePage(filtered.Count, offset, [.. filtered.Skip(offset).Take(limit)]));
    }

    public override Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<DatasetSummary>>(Datasets);

    public override Task<IReadOnlyList<string>> ListPresetsAsync(CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<string>>(["ocr-vqa", "docvqa"]);

    public override Task<DatasetSummary?> GetDatasetAsync(string id, CancellationToken cancellationToken = default) =>
        Answer(Datasets.FirstOrDefault(d => d.Id == id));

    public override Task<DatasetExamplePage> GetDatasetExamplesAsync(string id, string split, string? kind, int offset, int limit,
        CancellationToken cancellationToken = default) =>
        Answer(new DatasetExamplePage(id, split, kind, offset, limit, false,
            [.. Enumerable.Range(offset, Math.Max(0, Math.Min(limit, 12 - offset))).Select(i =>
                new DatasetExample($"img{i / 3}", split, $"Question {i}?", $"Answer {i}", "Title", $"/api/datasets/{id}/images/img{i / 3}?split={split}", new Dictionary<string, string>()))]));

    /// <summary>Open upload sessions by id, with the files each holds.</summary>
    public Dictionary<string, UploadSessionView> UploadSessions { get; } = [];

    /// <summary>Every file the page sent, in order: "session/path".</summary>
    public List<string> SentFiles { get; } = [];

    /// <summary>Paths the api refuses, as it does a file that is not what its name says.</summary>
    public HashSet<string> RefusedPaths { get; } = [];

    public List<string> ImportedSessions { get; } = [];

    public override Task<UploadSessionView> CreateUploadSessionAsync(UploadSessionRequest request, CancellationToken cancellationToken = default)
    {
        var session = new UploadSessionView($"upload-{UploadSessions.Count + ImportedSessions.Count + 1}", request.Name ?? "upload", request.Preset ?? "ocr-vqa", DateTimeOffset.UtcNow, []);
        UploadSessions[session.Id] = session;
        return Answer(session);
    }

    public override Task<IReadOnlyList<UploadSessionView>> ListUploadSessionsAsync(CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<UploadSessionView>>([.. UploadSessions.Values]);

    public override async Task<UploadedFileResult> UploadSessionFileAsync(string sessionId, string path, Stream content, CancellationToken cancellationToken = default)
    {
        var size = 0L;
        var buffer = new byte[8192];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            size += read;
        }

        SentFiles.Add($"{sessionId}/{path}");
        if (RefusedPaths.Contains(path))
        {
            throw new ApiException($"File refused '{path}' is not a JPEG, PNG or WEBP image; it was not saved.", HttpStatusCode.BadRequest);
        }

        var session = UploadSessions[sessionId];
        UploadSessions[sessionId] = session with { Files = [.. session.Files.Where(f => f.Path != path), new UploadedFile(path, size)] };
        return new UploadedFileResult(path, size, "00", UploadedFileOutcomes.Saved);
    }

    public override Task<ImportAccepted> ImportUploadSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        UploadSessions.Remove(sessionId);
        ImportedSessions.Add(sessionId);
        return Answer(new ImportAccepted(sessionId, DatasetStatuses.Importing, $"/api/datasets/{sessionId}"));
    }

    public override Task DiscardUploadSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        UploadSessions.Remove(sessionId);
        return Task.CompletedTask;
    }

    private Task<T> Answer<T>(T value) => Failure is { } failure ? Task.FromException<T>(failure) : Task.FromResult(value);

    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
    }
}
