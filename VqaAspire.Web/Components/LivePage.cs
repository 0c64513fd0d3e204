using System.Text.Json;
using Microsoft.AspNetCore.Components;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components;

/// <summary>
/// A page that shows live pipeline state: it loads on navigation, then refetches when the shared
/// <see cref="RunChangeFeed"/> reports a run it cares about (redrawn at most 5 times a second), and polls slowly
/// while the feed is down and something is still running. Unsubscribes when disposed.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    internal static readonly TimeSpan FallbackPollInterval = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _disposed = new();
    private ThrottledRefresh? _refresh;
    private IDisposable? _subscription;

    [Inject]
    public required RunChangeFeed Feed { get; init; }

    /// <summary>Why the last load failed, in words a user can act on; null when it worked.</summary>
    protected string? LoadError { get; private set; }

    /// <summary>True once a load has completed (even a failed one).</summary>
    protected bool Loaded { get; private set; }

    protected CancellationToken PageClosed => _disposed.Token;

    /// <summary>Fetches what the page shows.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Whether a change to this run concerns the page; every run by default.</summary>
    protected virtual bool Concerns(string runId) => true;

    /// <summary>Whether the page shows work still in progress (the fallback poll runs only then).</summary>
    protected virtual bool InProgress => false;

    /// <summary>Whether the page polls while in progress even with the feed up (imports are not run changes).</summary>
    protected virtual bool PollsWithFeed => false;

    protected override Task OnParametersSetAsync() => SafeLoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        // Only the interactive render subscribes; the prerender is thrown away.
        if (firstRender)
        {
            _refresh = new ThrottledRefresh(async token =>
            {
                await SafeLoadAsync();
                if (!token.IsCancellationRequested)
                {
                    await InvokeAsync(StateHasChanged);
                }
            });
            _subscription = Feed.Subscribe(runId =>
            {
                if (runId == "*" || Concerns(runId))
                {
                    _refresh.Request();
                }
            });
            _ = PollWhileFeedDownAsync();
        }
    }

    /// <summary>Refetch now (after an action the page took itself).</summary>
    protected void RequestRefresh() => _refresh?.Request();

    protected async Task SafeLoadAsync()
    {
        try
        {
            await LoadAsync(_disposed.Token);
            LoadError = null;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or TaskCanceledException or JsonException)
        {
            LoadError = ex.Message;
        }

        Loaded = true;
    }

    private async Task PollWhileFeedDownAsync()
    {
        using var timer = new PeriodicTimer(FallbackPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token))
            {
                if ((PollsWithFeed || !Feed.IsConnected) && InProgress)
                {
                    _refresh?.Request();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
