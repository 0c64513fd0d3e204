using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using VqaAspire.Contracts;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

/// <summary>
/// The Datasets page's upload: pick files, a folder or drop them, review the list, then Upload. Each file is read
/// from the browser only while it is sent (<see cref="UploadQueue"/>), into an api upload session that keeps what
/// arrived: after a reload, Continue and the same pick send only what is missing. Once every file arrived or was
/// refused, the session is imported as a dataset.
/// </summary>
public sealed partial class DatasetUpload : IDisposable
{
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(200);
    private readonly UploadQueue _queue = new();
    private IReadOnlyList<UploadSessionView> _openSessions = [];
    private UploadSessionView? _session;
    private List<UploadItem> _shown = [];
    private bool _sending;
    private string? _message;
    private bool _messageIsError;
    private CancellationTokenSource? _stop;
    private DateTime _lastRedraw = DateTime.MinValue;

    /// <summary>The dataset's name (blank: the session's id).</summary>
    [Parameter] public string? Name { get; set; }

    /// <summary>The column preset for parquet shards.</summary>
    [Parameter] public string? Preset { get; set; }

    /// <summary>Called once the upload's import is queued.</summary>
    [Parameter] public EventCallback<ImportAccepted> OnImported { get; set; }

    [Inject]
    public required VqaApiClient Api { get; init; }

    // Also when every file is there but the import was refused (a manifest missing, say): Upload imports again.
    private bool CanUpload => _queue.Items.Any(i => i.State is UploadItemState.Waiting or UploadItemState.Failed)
        || (_queue.TotalFiles > 0 && _queue.Finished && _queue.DoneFiles > 0 && !_imported);

    private bool _imported;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _openSessions = await Api.ListUploadSessionsAsync();
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            (_message, _messageIsError) = ($"The unfinished uploads could not be read: {ex.Message}", true);
        }
    }

    private void Pick(InputFileChangeEventArgs e, string picker)
    {
        if (_imported)
        {
            // A pick after an import starts the next upload: the last one's files are in their dataset.
            _queue.Clear();
        }

        (_message, _imported) = (null, false);
        var files = e.GetMultipleFiles(maximumFileCount: int.MaxValue);
        _queue.Add(picker, files.Select(f => new UploadItem(f.Name, f.Size, picker, () => f.OpenReadStream(UploadQueue.MaxFileBytes))));
        if (_session is not null)
        {
            _queue.SkipHeld(_session.Files);
        }

        Reorder();
    }

    private void Continue(UploadSessionView session)
    {
        _session = session;
        _queue.SkipHeld(session.Files);
        Reorder();
    }

    private async Task DiscardAsync(UploadSessionView session)
    {
        try
        {
            await Api.DiscardUploadSessionAsync(session.Id);
            _openSessions = [.. _openSessions.Where(s => s.Id != session.Id)];
            (_message, _messageIsError) = ($"Discarded the unfinished upload {session.Name}.", false);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            (_message, _messageIsError) = (ex.Message, true);
        }
    }

    private void Clear()
    {
        _queue.Clear();
        _imported = false;
        _message = null;
        Reorder();
    }

    private void Stop() => _stop?.Cancel();

    private async Task UploadAsync()
    {
        (_sending, _message) = (true, null);
        _stop = new CancellationTokenSource();
        try
        {
            if (_session is null)
            {
                _session = await Api.CreateUploadSessionAsync(new UploadSessionRequest(Blank(Name), Blank(Preset)), _stop.Token);
            }

            await _queue.SendAsync((item, stream, token) => Api.UploadSessionFileAsync(_session.Id, item.Path, stream, token), Redraw, _stop.Token);
            Reorder();
            if (_stop.IsCancellationRequested)
            {
                (_message, _messageIsError) = ($"Stopped. {_queue.DoneFiles:N0} files are kept in the upload; Upload sends the rest.", false);
            }
            else if (!_queue.Finished)
            {
                (_message, _messageIsError) = ($"{_queue.Count(UploadItemState.Failed):N0} files did not arrive (each says why below); the {_queue.DoneFiles:N0} that did are kept. Send the rest again.", true);
            }
            else if (_queue.DoneFiles == 0)
            {
                (_message, _messageIsError) = ("No file was accepted; each says why below.", true);
            }
            else
            {
                var accepted = await Api.ImportUploadSessionAsync(_session.Id, _stop.Token);
                var refused = _queue.Count(UploadItemState.Refused);
                (_message, _messageIsError) = ($"{_queue.DoneFiles:N0} files uploaded{(refused > 0 ? $", {refused:N0} refused (listed below)" : "")}; importing {accepted.Id}, it shows in the list with its progress.", false);
                _openSessions = [.. _openSessions.Where(s => s.Id != _session.Id)];
                (_session, _imported) = (null, true);
                await OnImported.InvokeAsync(accepted);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            (_message, _messageIsError) = ("Stopped before any file was sent.", false);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            (_message, _messageIsError) = (ex.Message, true);
        }
        finally
        {
            _sending = false;
            _stop.Dispose();
            _stop = null;
        }
    }

    // The list and the bar move at most five times a second, whatever the number of files.
    private void Redraw()
    {
        var now = DateTime.UtcNow;
        if (now - _lastRedraw >= RedrawEvery)
        {
            _lastRedraw = now;
            Reorder();
            _ = InvokeAsync(StateHasChanged);
        }
    }

    // Files that need a look (refused, failed) first, then those under way, then the rest in picked order.
    private void Reorder() => _shown = [.. _queue.Items.OrderBy(i => i.State switch
    {
        UploadItemState.Refused or UploadItemState.Failed => 0,
        UploadItemState.Sending => 1,
        _ => 2,
    })];

    private static string Describe(UploadItem item) => item.State switch
    {
        UploadItemState.Waiting => "ready to send",
        UploadItemState.Sending => "sending…",
        UploadItemState.Sent => item.Message is { } outcome ? $"sent ({outcome})" : "sent",
        UploadItemState.AlreadyThere => $"already there ({item.Message ?? "same content"}): kept once",
        _ => item.Message ?? item.State.ToString(),
    };

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("N1");

    private static string Size(long bytes) => bytes >= 1048576 ? $"{bytes / 1048576.0:N1} MB" : bytes >= 1024 ? $"{bytes / 1024.0:N0} KB" : $"{bytes:N0} bytes";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public void Dispose()
    {
        _stop?.Cancel();
    }
}
