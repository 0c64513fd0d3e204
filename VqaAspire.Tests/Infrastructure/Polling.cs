using System.Text.Json;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>Waiting for background work: the one poll loop the tests share.</summary>
public static class Polling
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Reads until done; after <see cref="StepTimeout"/>, fails with the last state seen so the reason is in the test output.</summary>
    public static Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done) => WaitAsync(read, done, StepTimeout);

    /// <summary>Reads every <paramref name="interval"/> (200 ms unless given) until done; after <paramref name="timeout"/>, fails with the last state seen.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not done within {timeout}; last seen: {JsonSerializer.Serialize(value, JsonSerializerOptions.Web)}");
            }

            await Task.Delay(interval ?? DefaultInterval);
        }
    }
}
