using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// At start: imports the synthetic sample when no dataset exists (idempotent: the registry entry is created only if
/// absent), and requeues imports a restart interrupted (downloads resume from their .partial files).
/// </summary>
public sealed class DatasetStartup(
    DatasetRegistry registry,
    DatasetImportQueue queue,
    IOptions<DatasetOptions> options,
    TimeProvider time,
    ILogger<DatasetStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await RunOnceAsync();
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // The cache may start after the api; try again shortly.
                logger.LogInformation("Dataset startup waits for the cache ({Reason}), attempt {Attempt}", ex.GetType().Name, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), stoppingToken);
            }
        }
    }

    public async Task RunOnceAsync()
    {
        var datasets = await registry.ListAsync();
        foreach (var interrupted in datasets.Where(d => d.Summary.Status == DatasetStatuses.Importing))
        {
            await queue.TryEnqueueAsync(new ImportJob(interrupted.Summary.Id));
        }

        if (datasets.Count == 0 && options.Value.SeedSample)
        {
            var entry = NewSampleEntry(SampleDatasetGenerator.DatasetId, new SampleOptions(), time.GetUtcNow());
            if (await registry.TryCreateAsync(entry))
            {
                logger.LogInformation("No dataset yet: importing the synthetic sample as '{DatasetId}'", entry.Summary.Id);
                await queue.TryEnqueueAsync(new ImportJob(entry.Summary.Id, Sample: new SampleOptions()));
            }
        }
    }

    /// <summary>The registry entry of a sample dataset, its files under datasets/{id}/.</summary>
    public static DatasetEntry NewSampleEntry(string id, SampleOptions sample, DateTimeOffset now) => new(
        new DatasetSummary(id, $"Synthetic book covers (seed {sample.Seed})", DatasetSourceKinds.Sample, $"datasets/{id}", ColumnPresets.OcrVqa,
            DatasetStatuses.Importing, 0, "Queued", null, now, null, [], 0, []),
        null,
        sample);
}
