namespace VqaAspire.Api.Workers;

/// <summary>
/// Runs a worker's items side by side, up to a number of slots, each under its own time limit: an item that fails,
/// hangs or crawls holds one slot, never the items behind it. The shared shape of the pipeline's workers.
/// </summary>
public sealed class WorkSlots(int slots, TimeSpan timeLimit)
{
    private readonly SemaphoreSlim _free = new(slots, slots);
    private int _busy;

    public int Slots => slots;

    /// <summary>Items being worked on now.</summary>
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>
    /// Takes the items as they come and runs each in a free slot, until the items end or <paramref name="stoppingToken"/>
    /// is cancelled; then waits for the running ones to stop. <paramref name="work"/> gets a token cancelled at shutdown
    /// or at the item's time limit (<see cref="TimedOut"/> tells which); <paramref name="failed"/> hears what escaped it.
    /// </summary>
    public async Task RunAsync<T>(IAsyncEnumerable<T> items, Func<T, CancellationToken, Task> work, Action<T, Exception> failed, CancellationToken stoppingToken)
    {
        var running = new HashSet<Task>();
        try
        {
            // A slot is taken before the next item is pulled: from a shared queue, an item is claimed only by a
            // replica that can start it now, and the others stay free to take it.
            await using var next = items.GetAsyncEnumerator(stoppingToken);
            while (true)
            {
                await _free.WaitAsync(stoppingToken);
                bool more;
                try
                {
                    more = await next.MoveNextAsync();
                }
                catch
                {
                    _free.Release();
                    throw;
                }

                if (!more)
                {
                    _free.Release();
                    break;
                }

                var item = next.Current;
                Interlocked.Increment(ref _busy);
                var task = RunOneAsync(item, work, failed, stoppingToken);
                lock (running)
                {
                    running.Add(task);
                }

                _ = task.ContinueWith(t => { lock (running) { running.Remove(t); } }, TaskScheduler.Default);
            }
        }
        finally
        {
            Task[] left;
            lock (running)
            {
                left = [.. running];
            }

            await Task.WhenAll(left);
        }
    }

    /// <summary>True when an item's token was cancelled by its time limit rather than by shutdown.</summary>
    public static bool TimedOut(CancellationToken itemToken, CancellationToken stoppingToken) => itemToken.IsCancellationRequested && !stoppingToken.IsCancellationRequested;

    private async Task RunOneAsync<T>(T item, Func<T, CancellationToken, Task> work, Action<T, Exception> failed, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            limit.CancelAfter(timeLimit);
            await work(item, limit.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the item resumes at the next start.
        }
        catch (Exception ex)
        {
            failed(item, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
            _free.Release();
        }
    }
}
