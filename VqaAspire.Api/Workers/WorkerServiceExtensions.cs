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
        services.AddSingleton<TWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TWorker>());
        services.AddHealthChecks().AddCheck<WorkerHealthCheck<TWorker>>(healthCheckName, failureStatus);
        return services;
    }
}
