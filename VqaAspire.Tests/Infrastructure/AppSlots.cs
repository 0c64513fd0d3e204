namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// How many whole apps run at once. Test classes run side by side (xunit.runner.json), but an app start takes a
/// core for seconds and its emulated steps want a share of the machine: two apps at once keep a 2-core machine busy
/// without starving either. A fixture holds its slots from before its app starts until after it stopped; the load
/// test takes both, as it is about the app under its own load, not another test's.
/// </summary>
public static class AppSlots
{
    public const int Count = 2;

    private static readonly SemaphoreSlim Free = new(Count, Count);

    // Taken one at a time: with one taker of several slots at most (the load test), no two takers wait on each other.
    private static readonly SemaphoreSlim Heavy = new(1, 1);

    /// <summary>Waits for <paramref name="slots"/> free slots (1 or <see cref="Count"/>) and holds them until disposed.</summary>
    public static async Task<IAsyncDisposable> TakeAsync(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slots, Count);
        if (slots > 1)
        {
            await Heavy.WaitAsync();
        }

        for (var i = 0; i < slots; i++)
        {
            await Free.WaitAsync();
        }

        return new Held(slots);
    }

    private sealed class Held(int slots) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Free.Release(slots);
                if (slots > 1)
                {
                    Heavy.Release();
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
