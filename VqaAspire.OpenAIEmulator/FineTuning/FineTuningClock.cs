using Microsoft.Extensions.Options;

namespace VqaAspire.OpenAIEmulator.FineTuning;

/// <summary>The fine-tuning clock: advances jobs every few milliseconds.</summary>
public sealed class FineTuningClock(FineTuningService jobs, IOptionsMonitor<EmulatorOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(5, options.CurrentValue.FineTuning.TickMilliseconds)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await jobs.AdvanceAsync(stoppingToken);
        }
    }
}
