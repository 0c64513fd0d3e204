using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Pipeline;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workers;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Tests.FineTuning;

/// <summary>
/// The api's fine-tuning and evaluation-starting services wired as the api wires them, over a Redis-protocol server,
/// with the app's provider on Azure OpenAI (an address nothing listens on: these services must decide before asking it).
/// </summary>
internal sealed class AzureAppServices
{
    public AzureAppServices(IConnectionMultiplexer redis, string workspaceRoot, AzureProviderOptions azure, OtherProviders? others = null)
    {
        var app = new ProviderOptions { Kind = "azure", Endpoint = "http://127.0.0.1:9", ApiKey = "test-key", Azure = azure };
        var provider = new OpenAIModelProvider(Options.Create(app));
        var providers = new FineTuneProviders(provider, Options.Create(others ?? new OtherProviders()));
        Runs = new RunStore(redis, TimeProvider.System);
        Store = new FineTuneStore(redis);
        Evaluations = new EvaluationStore(redis);
        var steps = new AzureFineTuneSteps(provider, providers, new AzureDeploymentClient(new HttpClient(), Options.Create(app), TimeProvider.System, NullLogger<AzureDeploymentClient>.Instance),
            Runs, Evaluations, Options.Create(new AzurePricingOptions()), TimeProvider.System, NullLogger<AzureFineTuneSteps>.Instance);
        FineTunes = new FineTuneService(provider, providers, Runs, Store, new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = workspaceRoot })),
            new FineTuneViews(provider, Options.Create(new PricingOptions())), steps, TimeProvider.System, NullLogger<FineTuneService>.Instance);
        var worker = new EvaluationWorker(new EvaluationQueue(redis, Options.Create(new WorkerOptions()), new WorkerIdentity("test"), NullLogger<EvaluationQueue>.Instance),
            redis, Evaluations, Runs, new NeverRuns(), provider, Options.Create(new EvaluationOptions()), TimeProvider.System, NullLogger<EvaluationWorker>.Instance);
        Starter = new EvaluationStarter(Runs, worker, Evaluations, provider, steps, Options.Create(others ?? new OtherProviders()), TimeProvider.System);
        Pipeline = new PipelineContinuer(redis, Runs, FineTunes, Starter, TimeProvider.System, new WorkerIdentity("test"), NullLogger<PipelineContinuer>.Instance);
    }

    public RunStore Runs { get; }

    public FineTuneStore Store { get; }

    public EvaluationStore Evaluations { get; }

    public FineTuneService FineTunes { get; }

    public EvaluationStarter Starter { get; }

    public PipelineContinuer Pipeline { get; }

    /// <summary>The evaluation worker is never started here: an evaluation that ran would fail the test.</summary>
    private sealed class NeverRuns : IEvaluationRunner
    {
        public Task<EvaluationOutcome> RunAsync(EvaluationView evaluation, IProgress<EvaluationProgress> progress, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"Evaluation {evaluation.Id} ran, but these tests only start evaluations.");
    }
}
