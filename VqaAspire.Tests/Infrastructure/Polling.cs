using System.Text.Json;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>Waiting for background work seen through the api.</summary>
public static class Polling
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Reads until done; on timeout, fails with the last state seen so the reason is in the test output.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not done within {StepTimeout}; last seen: {JsonSerializer.Serialize(value, JsonSerializerOptions.Web)}");
            }

            await Task.Delay(200);
        }
    }
}
