using VqaAspire.Api.Caching;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Export;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Pipeline;
using VqaAspire.Api.Playground;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Status;
using VqaAspire.Api.Workspace;

namespace VqaAspire.Api;

public static class ApplicationServiceExtensions
{
    private static readonly TimeSpan RedisWait = TimeSpan.FromSeconds(20);

    /// <summary>Registers the api's options, clients and pipeline services.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // A longer wait than the client's 5 s: on a small, busy machine (two cores, a preparation and twenty dashboard
        // sessions at once) a read can queue past 5 s, and a timeout there is a 500 for a page that only reads.
        builder.AddRedisClient("cache", configureOptions: options => options.AsyncTimeout = options.SyncTimeout = (int)RedisWait.TotalMilliseconds);

        builder.Services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ProviderOptions>()
            .Configure<IConfiguration>((settings, configuration) => BlankProviderSettings.BindSkippingBlanks(configuration, settings))
            // Delegates, not data annotations: those read every property, and the computed endpoint throws on an unset one.
            .Validate(o => o.FilesApiMaxBytes > 0 && o.MaxRetries is >= 0 and <= 100, "Provider:FilesApiMaxBytes must be positive and MaxRetries between 0 and 100.")
            .Validate(o => ProviderKinds.TryParse(o.Kind, out _), $"Provider:Kind must be one of {string.Join(", ", ProviderKinds.Names)}.")
            .ValidateOnStart();

        builder.Services.AddOptions<OtherProviders>().Configure<IConfiguration>((providers, configuration) => OtherProviders.Bind(configuration, providers));

        builder.Services.AddOptions<WorkspaceOptions>().BindConfiguration(WorkspaceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WorkspaceStorage>();
        builder.Services.AddExceptionHandler<WorkspacePathExceptionHandler>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IModelProvider, OpenAIModelProvider>();
        builder.Services.AddAzureOpenAI();
        builder.Services.AddSingleton<StatusService>();
        builder.Services.AddSingleton<RunStore>();

        builder.AddDatasetServices();
        builder.Services.AddPreparation();
        builder.Services.AddFineTuning();
        builder.Services.AddEvaluation();
        builder.Services.AddSingleton<PlaygroundService>();
        builder.Services.AddSingleton<OpenWeightsExporter>();
        // Chains a run's steps when it asked to (the one-click pipeline).
        builder.Services.AddHostedService<PipelineContinuer>();

        return builder;
    }
}
