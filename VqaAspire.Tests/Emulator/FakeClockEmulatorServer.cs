using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VqaAspire.OpenAIEmulator.Batches;
using VqaAspire.OpenAIEmulator.FineTuning;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// The emulator on a fake clock: nothing moves until a test says so. Its background clocks are left out; a test
/// ticks the job and batch services itself with <see cref="TickAsync"/>, and the tick is over when that returns.
/// Each phase takes a minute, so advancing the clock a little (for distinct timestamps) starts nothing.
/// </summary>
public sealed class FakeClockEmulatorServer : EmulatorServer
{
    /// <summary>One tick of the emulator's batch clock.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    public SteppingClock Clock { get; } = new();

    protected override IEnumerable<string> Arguments =>
        ["--Emulator:BatchPhaseMilliseconds=60000", "--Emulator:FineTuning:ValidatingMilliseconds=60000"];

    /// <summary>Advances the clock by <paramref name="by"/> (one tick if not given), then runs one tick of the job and batch clocks.</summary>
    public async Task TickAsync(TimeSpan? by = null)
    {
        Clock.Advance(by ?? TickInterval);
        await Service<FineTuningService>().AdvanceAsync(CancellationToken.None);
        await Service<BatchService>().AdvanceAsync(CancellationToken.None);
    }

    /// <summary>Ticks the clock a phase at a time until the job has finished (it takes three: validate, queue, train).</summary>
    public Task<JsonElement> RunJobAsync(HttpClient http, string jobId) =>
        RunUntilFinishedAsync(http, $"v1/fine_tuning/jobs/{jobId}", "succeeded", "failed", "cancelled");

    /// <summary>Ticks the clock a phase at a time until the batch has finished (one tick runs it).</summary>
    public Task<JsonElement> RunBatchAsync(HttpClient http, string batchId) =>
        RunUntilFinishedAsync(http, $"v1/batches/{batchId}", "completed", "failed", "cancelled", "expired");

    private async Task<JsonElement> RunUntilFinishedAsync(HttpClient http, string path, params string[] finished)
    {
        // Longer than any phase, so each tick moves the object on by a whole phase (training: all its steps).
        var phase = TimeSpan.FromMinutes(2);
        var item = await TestData.GetJsonAsync(http, path);
        for (var tick = 0; tick < 5 && !finished.Contains(item.GetProperty("status").GetString()); tick++)
        {
            await TickAsync(phase);
            item = await TestData.GetJsonAsync(http, path);
        }

        Assert.True(finished.Contains(item.GetProperty("status").GetString()), $"{path} still {item.GetProperty("status")} after five phases.");
        return item;
    }

    protected override void ReplaceServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
        foreach (var clock in services.Where(s => s.ServiceType == typeof(IHostedService) && (s.ImplementationType == typeof(FineTuningClock) || s.ImplementationType == typeof(BatchRunner))).ToList())
        {
            services.Remove(clock);
        }
    }
}
