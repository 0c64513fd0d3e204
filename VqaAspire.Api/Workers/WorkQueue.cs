using System.Threading.Channels;

namespace VqaAspire.Api.Workers;

/// <summary>
/// The bounded queue between the endpoints that ask for work and the one worker that does it: a flood of requests
/// waits (or is refused) instead of exhausting memory. Its depth shows in the worker's health check.
/// </summary>
public abstract class WorkQueue<T>(int capacity)
{
    private readonly Channel<T> _items = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true });

    /// <summary>Items waiting, not counting the one being worked on.</summary>
    public int Depth => _items.Reader.Count;

    /// <summary>Queues an item, waiting while the queue is full.</summary>
    public ValueTask EnqueueAsync(T item, CancellationToken cancellationToken) => _items.Writer.WriteAsync(item, cancellationToken);

    /// <summary>Queues an item; false when the queue is full.</summary>
    public bool TryEnqueue(T item) => _items.Writer.TryWrite(item);

    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken) => _items.Reader.ReadAllAsync(cancellationToken);
}
