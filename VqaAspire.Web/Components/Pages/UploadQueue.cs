using VqaAspire.Contracts;

namespace VqaAspire.Web.Components.Pages;

/// <summary>Where one picked file stands in an upload.</summary>
public enum UploadItemState
{
    /// <summary>Picked, not sent yet.</summary>
    Waiting,
    Sending,
    Sent,

    /// <summary>The upload holds it already (same path and size, or the api found the same content): not sent again.</summary>
    AlreadyThere,

    /// <summary>Refused for what it is (its type, its first bytes, its size): sending it again will not help.</summary>
    Refused,

    /// <summary>Did not arrive (connection, timeout): worth sending again.</summary>
    Failed,
}

/// <summary>One picked file: its path in the upload, its size, the picker it came from, how to read it, and where it stands.</summary>
public sealed class UploadItem(string path, long size, string picker, Func<Stream> open)
{
    public string Path { get; } = path;
    public string Picker { get; } = picker;
    public long Size { get; } = size;
    public UploadItemState State { get; internal set; } = UploadItemState.Waiting;

    /// <summary>Why it was refused or failed, naming the file; or what the api made of it.</summary>
    public string? Message { get; internal set; }

    internal Func<Stream> Open { get; } = open;
    internal long SentBytes;
}

/// <summary>
/// The files picked for an upload and how far it got: files and bytes done of the total, each file's result. Files
/// are read one at a time per lane (<see cref="Lanes"/> at once), never all opened together: a browser file's stream
/// that waits unread times out. Files the upload session holds already (same path and size) are not sent again, so
/// an upload restarted after a reload sends only what is missing.
/// </summary>
public sealed class UploadQueue
{
    /// <summary>Files sent at once: enough to hide a request's latency, few enough that no browser stream waits long.</summary>
    public const int Lanes = 2;

    /// <summary>The largest file the browser side sends; the api has its own limit.</summary>
    public const long MaxFileBytes = 2L * 1024 * 1024 * 1024;

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".parquet", ".jpg", ".jpeg", ".png", ".webp", ".jsonl", ".csv" };
    private readonly List<UploadItem> _items = [];
    private long _sentBytes;

    public IReadOnlyList<UploadItem> Items => _items;

    public int TotalFiles => _items.Count;
    public long TotalBytes => _items.Where(i => i.State != UploadItemState.Refused).Sum(i => i.Size);
    public long SentBytes => Interlocked.Read(ref _sentBytes);
    public int DoneFiles => _items.Count(i => i.State is UploadItemState.Sent or UploadItemState.AlreadyThere);
    public int Count(UploadItemState state) => _items.Count(i => i.State == state);

    /// <summary>Bytes arrived of those to send, 0 to 1.</summary>
    public double Fraction => TotalBytes == 0 ? 1 : Math.Min(1, (double)SentBytes / TotalBytes);

    /// <summary>Nothing is left to send: every file arrived, was there already or was refused (failed files are not finished).</summary>
    public bool Finished => _items.All(i => i.State is UploadItemState.Sent or UploadItemState.AlreadyThere or UploadItemState.Refused);

    /// <summary>
    /// Adds one pick's files, replacing any of the same path (a file picked twice is sent once) and the files of the
    /// picker's earlier pick not sent yet (a browser forgets a picker's files when it picks again). A file of a type
    /// the api refuses, too large or empty is marked refused at once, naming it.
    /// </summary>
    public void Add(string picker, IEnumerable<UploadItem> items)
    {
        _items.RemoveAll(i => i.Picker == picker && i.State is not (UploadItemState.Sent or UploadItemState.AlreadyThere));
        foreach (var item in items)
        {
            _items.RemoveAll(i => i.Path == item.Path);
            var extension = System.IO.Path.GetExtension(item.Path);
            if (!Extensions.Contains(extension))
            {
                Refuse(item, $"'{item.Path}': unsupported file type '{extension}' (parquet, jpg, png, webp, jsonl, csv).");
            }
            else if (item.Size > MaxFileBytes)
            {
                Refuse(item, $"'{item.Path}' is {item.Size:N0} bytes; the limit is {MaxFileBytes:N0}.");
            }
            else if (item.Size == 0)
            {
                Refuse(item, $"'{item.Path}' is empty.");
            }

            _items.Add(item);
        }
    }

    public void Clear() => _items.Clear();

    /// <summary>Marks the files the upload session holds already (same path and size) as there: they are not sent again.</summary>
    public void SkipHeld(IEnumerable<UploadedFile> held)
    {
        var sizes = held.ToDictionary(f => f.Path, f => f.Size, StringComparer.Ordinal);
        foreach (var item in _items.Where(i => i.State is UploadItemState.Waiting or UploadItemState.Failed))
        {
            if (sizes.TryGetValue(item.Path, out var size) && size == item.Size)
            {
                item.State = UploadItemState.AlreadyThere;
                item.Message = "received before";
                Interlocked.Add(ref _sentBytes, item.Size - item.SentBytes);
                item.SentBytes = item.Size;
            }
        }
    }

    /// <summary>
    /// Sends every waiting or failed file through <paramref name="send"/>, <see cref="Lanes"/> at a time, each read
    /// only while it is sent; a file that fails is marked with why, naming it, and the rest go on.
    /// <paramref name="changed"/> is called after each file and as bytes flow (the caller throttles redraws).
    /// </summary>
    public async Task SendAsync(Func<UploadItem, Stream, CancellationToken, Task<UploadedFileResult>> send, Action changed, CancellationToken cancellationToken)
    {
        var pending = new Queue<UploadItem>(_items.Where(i => i.State is UploadItemState.Waiting or UploadItemState.Failed));
        var lanes = Enumerable.Range(0, Lanes).Select(async _ =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                UploadItem item;
                lock (pending)
                {
                    if (!pending.TryDequeue(out item!))
                    {
                        return;
                    }
                }

                await SendOneAsync(item, send, changed, cancellationToken);
                changed();
            }
        });
        await Task.WhenAll(lanes);
    }

    private async Task SendOneAsync(UploadItem item, Func<UploadItem, Stream, CancellationToken, Task<UploadedFileResult>> send, Action changed,
        CancellationToken cancellationToken)
    {
        item.State = UploadItemState.Sending;
        item.Message = null;
        Forget(item);
        try
        {
            await using var stream = new Services.ProgressReadStream(item.Open(), read =>
            {
                item.SentBytes += read;
                Interlocked.Add(ref _sentBytes, read);
                changed();
            });
            var result = await send(item, stream, cancellationToken);
            item.State = result.Outcome == UploadedFileOutcomes.AlreadyThere ? UploadItemState.AlreadyThere : UploadItemState.Sent;
            item.Message = result.Outcome == UploadedFileOutcomes.Saved ? null : result.Outcome;
            Interlocked.Add(ref _sentBytes, item.Size - item.SentBytes);
            item.SentBytes = item.Size;
        }
        catch (Services.ApiException ex) when (ex.Status is { } status && (int)status is >= 400 and < 500 and not 404 and not 408 and not 429)
        {
            Forget(item);
            Refuse(item, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Forget(item);
            item.State = UploadItemState.Waiting;
        }
        catch (Exception ex) when (ex is Services.ApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException
                                       or Microsoft.JSInterop.JSException)
        {
            Forget(item);
            item.State = UploadItemState.Failed;
            item.Message = $"'{item.Path}' did not arrive: {ex.Message}";
        }
    }

    private void Forget(UploadItem item)
    {
        Interlocked.Add(ref _sentBytes, -item.SentBytes);
        item.SentBytes = 0;
    }

    private static void Refuse(UploadItem item, string message)
    {
        item.State = UploadItemState.Refused;
        item.Message = message;
    }
}
