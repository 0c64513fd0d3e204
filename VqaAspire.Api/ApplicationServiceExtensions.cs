using VqaAspire.Api.Caching;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Playground;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Status;
using VqaAspire.Api.Workspace;

namespace VqaAspire.Api;

public static class ApplicationServiceExtensions
{
    /// <summary>Registers the api's options, clients and pipeline services.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("cache");

        builder.Services.AddOptions<CacheSettings>().BindConfiguration(CacheSettings.SectionName);
        builder.Services.AddOptions<ProviderOptions>()
            .BindConfiguration(ProviderOptions.SectionName)
            .Validate(o => ProviderKinds.TryParse(o.Kind, out _), $"Provider:Kind must be one of {string.Join(", ", ProviderKinds.Names)}.")
            .ValidateOnStart();

        builder.Services.AddOptions<WorkspaceOptions>().BindConfiguration(WorkspaceOptions.SectionName);
        builder.Services.AddSingleton<WorkspaceStorage>();
        builder.Services.AddExceptionHandler<WorkspacePathExceptionHandler>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IModelProvider, OpenAIModelProvider>();
        builder.Services.AddSingleton<StatusService>();

        builder.AddDatasetServices();
        builder.Services.AddPreparation();
        builder.Services.AddFineTuning();
        builder.Services.AddEvaluation();
        builder.Services.AddSingleton<PlaygroundService>();
        // Chains a run's steps when it asked to (the one-click pipeline).
        builder.Services.AddHostedService<PipelineContinuer>();

        return builder;
    }
}
