namespace VqaAspire.Web.Components.Pages;

/// <summary>An upload under way: bytes sent of the total, the files left out (and why), redrawn at most ~5 times a second.</summary>
public sealed class UploadProgress(int files, long totalBytes, IReadOnlyList<string> fileErrors)
{
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(200);
    private long _sent;
    private DateTime _lastRedraw = DateTime.MinValue;

    public int Files { get; } = files;
    public long TotalBytes { get; } = totalBytes;
    public IReadOnlyList<string> FileErrors { get; } = fileErrors;
    public long SentBytes => Interlocked.Read(ref _sent);
    public bool Done { get; set; }

    public double Fraction => TotalBytes == 0 ? 1 : Math.Min(1, (double)SentBytes / TotalBytes);

    public void Add(long bytes, Action redraw)
    {
        Interlocked.Add(ref _sent, bytes);
        var now = DateTime.UtcNow;
        if (now - _lastRedraw >= RedrawEvery)
        {
            _lastRedraw = now;
            redraw();
        }
    }
}
