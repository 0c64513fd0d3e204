using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Datasets;

/// <summary>Runs queued imports one at a time.</summary>
public sealed class DatasetImportWorker(DatasetImportQueue queue, DatasetImporter importer, ILogger<DatasetImportWorker> logger)
    : BackgroundService, IWorkerState
{
    /// <summary>The dataset being imported now, or null when idle.</summary>
    public string? Importing { get; private set; }

    public string Name => "dataset import worker";

    /// <summary>Whether the worker takes jobs (false once it stopped, for whatever reason).</summary>
    public bool IsRunning { get; private set; }

    public string? Current => Importing is { } id ? $"Importing {id}" : null;

    public int Waiting => queue.Depth;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IsRunning = true;
        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            IsRunning = false;
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in queue.ReadAllAsync(stoppingToken))
        {
            Importing = job.DatasetId;
            try
            {
                await importer.RunAsync(job, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One import must never stop the worker; the registry keeps its last state and the log has why.
                logger.LogError(ex, "Import of {DatasetId} stopped unexpectedly", job.DatasetId);
            }
            finally
            {
                Importing = null;
            }
        }
    }
}
