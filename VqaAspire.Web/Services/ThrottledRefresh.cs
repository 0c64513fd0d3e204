namespace VqaAspire.Web.Services;

/// <summary>
/// Coalesces refresh requests from a live feed: one refresh at a time, at most one every <see cref="MinInterval"/>
/// (5 redraws a second), and a request arriving during a refresh runs once more after it. Disposed with its page.
/// </summary>
public sealed class ThrottledRefresh(Func<CancellationToken, Task> refresh) : IDisposable
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _running = new(1, 1);
    private int _scheduled;
    private long _lastTimestamp;

    /// <summary>Asks for a refresh; cheap, and safe from any thread.</summary>
    public void Request()
    {
        if (_disposed.IsCancellationRequested || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        var token = _disposed.Token;
        try
        {
            await _running.WaitAsync(token);
            try
            {
                var since = TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastTimestamp));
                if (since < MinInterval)
                {
                    await Task.Delay(MinInterval - since, token);
                }

                Volatile.Write(ref _scheduled, 0);
                await refresh(token);
            }
            finally
            {
                Interlocked.Exchange(ref _lastTimestamp, DateTime.UtcNow.Ticks);
                _running.Release();
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
        catch (ObjectDisposedException)
        {
            // The page went away mid-refresh.
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
