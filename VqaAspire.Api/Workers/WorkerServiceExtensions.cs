using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VqaAspire.Api.Workers;

public static class WorkerServiceExtensions
{
    /// <summary>Registers a pipeline step's worker shape: its queue, its worker (one instance, hosted) and a health check named <paramref name="healthCheckName"/>.</summary>
    public static IServiceCollection AddWorker<TQueue, TWorker>(this IServiceCollection services, string healthCheckName, HealthStatus failureStatus)
        where TQueue : class
        where TWorker : BackgroundService, IWorkerState
    {
        services.AddSingleton<TQueue>();
        return services.AddWorker<TWorker>(healthCheckName, failureStatus);
    }

    /// <summary>Registers a worker that reads its work from elsewhere (Redis), with its health check.</summary>
    public static IServiceCollection AddWorker<TWorker>(this IServiceCollection services, string healthCheckName, HealthStatus failureStatus)
        where TWorker : BackgroundService, IWorkerState
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => o.Preparations >= 1 && o.Imports >= 1, "Workers: Preparations and Imports must be at least 1.")
            .Validate(o => o.PreparationTimeLimit > TimeSpan.Zero && o.ImportTimeLimit > TimeSpan.Zero && o.FineTuneStepTimeLimit > TimeSpan.Zero,
                "Workers: time limits must be positive.")
            .Validate(o => o.ClaimAfter >= TimeSpan.FromSeconds(1) && o.PollInterval > TimeSpan.Zero,
                "Workers: ClaimAfter must be at least a second and PollInterval positive.");
        services.TryAddSingleton(_ => new WorkerIdentity());
        services.AddSingleton<TWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TWorker>());
        services.AddHealthChecks().AddCheck<WorkerHealthCheck<TWorker>>(healthCheckName, failureStatus);
        return services;
    }
}
