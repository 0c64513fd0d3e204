using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VqaAspire.Api.Workers;

/// <summary>Healthy while the worker runs, saying what it does and what waits; the registration's failure status once it stopped.</summary>
public sealed class WorkerHealthCheck<TWorker>(TWorker worker) : IHealthCheck
    where TWorker : IWorkerState
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(worker.IsRunning
            ? HealthCheckResult.Healthy($"{worker.Current ?? "Idle"}; {worker.Waiting} waiting.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"The {worker.Name} is not running."));
}
