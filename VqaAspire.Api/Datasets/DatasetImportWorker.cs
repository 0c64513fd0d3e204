using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Workers;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// Runs queued imports a few at a time (<see cref="WorkerOptions.Imports"/>), each within its time limit: a download
/// that hangs fails its dataset and never holds up the others.
/// </summary>
public sealed class DatasetImportWorker(DatasetImportQueue queue, DatasetImporter importer, DatasetRegistry registry, IOptions<WorkerOptions> limits,
    ILogger<DatasetImportWorker> logger) : BackgroundService, IWorkerState
{
    private readonly WorkSlots _slots = new(limits.Value.Imports, limits.Value.ImportTimeLimit);
    private readonly ConcurrentDictionary<string, byte> _importing = new();

    /// <summary>The datasets being imported now, or null when idle.</summary>
    public string? Importing => _importing.IsEmpty ? null : string.Join(", ", _importing.Keys.Order());

    public string Name => "dataset import worker";

    /// <summary>Whether the worker takes jobs (false once it stopped, for whatever reason).</summary>
    public bool IsRunning { get; private set; }

    public string? Current => Importing is { } ids ? $"Importing {ids}" : null;

    public Task<int> WaitingAsync() => queue.DepthAsync();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IsRunning = true;
        try
        {
            await _slots.RunAsync(queue.TakeAsync(stoppingToken),
                (claimed, itemToken) => queue.WorkAsync(claimed, (job, token, stopping) => ImportAsync(job, token, stopping), itemToken, stoppingToken),
                // One import must never stop the worker; the registry keeps its last state and the log has why.
                (claimed, ex) => logger.LogError(ex, "Import of {DatasetId} stopped unexpectedly", claimed.Key), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            IsRunning = false;
        }
    }

    private async Task ImportAsync(ImportJob job, CancellationToken cancellationToken, CancellationToken stoppingToken)
    {
        _importing[job.DatasetId] = 0;
        try
        {
            await importer.RunAsync(job, cancellationToken);
        }
        catch (OperationCanceledException) when (WorkSlots.TimedOut(cancellationToken, stoppingToken))
        {
            var reason = $"The import ran past its time limit of {limits.Value.ImportTimeLimit} (Workers:ImportTimeLimit).";
            logger.LogWarning("Import of {DatasetId} failed: {Reason}", job.DatasetId, reason);
            await registry.UpdateAsync(job.DatasetId, s => s with { Status = DatasetStatuses.Failed, Error = reason, ProgressMessage = null });
        }
        finally
        {
            _importing.TryRemove(job.DatasetId, out _);
        }
    }
}
