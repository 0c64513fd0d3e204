namespace VqaAspire.OpenAIEmulator.Batches;

/// <summary>Starts waiting batches every few milliseconds.</summary>
public sealed class BatchRunner(BatchService batches, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await batches.AdvanceAsync(stoppingToken);
        }
    }
}
