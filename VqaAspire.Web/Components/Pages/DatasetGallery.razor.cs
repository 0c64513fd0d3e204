using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using VqaAspire.Contracts;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

public sealed partial class DatasetGallery : IDisposable
{
    /// <summary>Questions read per page; an image's questions are consecutive, so cards are whole once the next image starts.</summary>
    internal const int PageSize = 120;

    private readonly CancellationTokenSource _disposed = new();
    private List<GalleryCard> _cards = [];
    private int _offset;
    private bool _hasMore;
    private bool _loading;
    private bool _loaded;
    private string? _error;
    private int? _open;
    private ElementReference _lightbox;
    private bool _focusLightbox;
    private (string?, string?, string?) _shown;

    [Parameter, EditorRequired] public string DatasetId { get; set; } = "";
    [Parameter, EditorRequired] public string? Split { get; set; }
    [Parameter] public string? Kind { get; set; }

    [Inject]
    public required VqaApiClient Api { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        if (_shown != (DatasetId, Split, Kind))
        {
            _shown = (DatasetId, Split, Kind);
            (_cards, _offset, _hasMore, _open, _loaded) = ([], 0, false, null, false);
            await LoadMoreAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusLightbox)
        {
            _focusLightbox = false;
            await _lightbox.FocusAsync();
        }
    }

    private async Task LoadMoreAsync()
    {
        _loading = true;
        try
        {
            var page = await Api.GetDatasetExamplesAsync(DatasetId, Split ?? "train", Kind, _offset, PageSize, _disposed.Token);
            _offset += page.Examples.Count;
            _hasMore = page.HasMore;
            _cards = GalleryCard.Append(_cards, page.Examples);
            _error = null;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }
        finally
        {
            (_loading, _loaded) = (false, true);
        }
    }

    private Task OpenAsync(int index)
    {
        _open = index;
        _focusLightbox = true;
        return Task.CompletedTask;
    }

    private async Task StepAsync(int by)
    {
        var next = (_open ?? 0) + by;
        if (next >= _cards.Count && _hasMore)
        {
            await LoadMoreAsync();
        }

        _open = Math.Clamp(next, 0, Math.Max(0, _cards.Count - 1));
        _focusLightbox = true;
    }

    private void Close() => _open = null;

    private async Task OnKeyAsync(KeyboardEventArgs e)
    {
        switch (e.Key)
        {
            case "ArrowRight" or "ArrowDown":
                await StepAsync(1);
                break;
            case "ArrowLeft" or "ArrowUp":
                await StepAsync(-1);
                break;
            case "Escape":
                Close();
                break;
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
