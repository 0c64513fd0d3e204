using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VqaAspire.Api.Workers;

/// <summary>Healthy while the worker runs, saying what it does and what waits; the registration's failure status once it stopped.</summary>
public sealed class WorkerHealthCheck<TWorker>(TWorker worker) : IHealthCheck
    where TWorker : IWorkerState
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        worker.IsRunning
            ? HealthCheckResult.Healthy($"{worker.Current ?? "Idle"}; {await worker.WaitingAsync()} waiting.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"The {worker.Name} is not running.");
}
