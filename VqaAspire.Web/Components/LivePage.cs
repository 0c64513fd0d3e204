using System.Text.Json;
using Microsoft.AspNetCore.Components;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components;

/// <summary>
/// A page that shows live pipeline state: it loads on navigation, then refetches when the shared
/// <see cref="RunChangeFeed"/> reports a run it cares about (redrawn at most 5 times a second), and polls slowly
/// while the feed is down and something is still running. Unsubscribes when disposed.
/// </summary>
/// <remarks>
/// What the prerender loaded (<typeparamref name="TLoaded"/>) is written into the page and taken up by the interactive
/// render, which then neither asks the api again nor replaces the prerendered content with a spinner while it would.
/// It refetches once only if the data may have moved on since: something was running, or a run changed meanwhile.
/// </remarks>
public abstract class LivePage<TLoaded> : ComponentBase, IDisposable
{
    internal static readonly TimeSpan FallbackPollInterval = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _disposed = new();
    private ThrottledRefresh? _refresh;
    private IDisposable? _subscription;

    private PersistingComponentStateSubscription _persisting;
    private bool _parametersSeen;
    private DateTimeOffset? _loadedAt;
    private DateTimeOffset? _restoredFrom;

    [Inject]
    public required RunChangeFeed Feed { get; init; }

    [Inject]
    public required PersistentComponentState PrerenderState { get; init; }

    /// <summary>Why the last load failed, in words a user can act on; null when it worked.</summary>
    protected string? LoadError { get; private set; }

    /// <summary>True once a load has completed (even a failed one).</summary>
    protected bool Loaded { get; private set; }

    protected CancellationToken PageClosed => _disposed.Token;

    /// <summary>Fetches what the page shows.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>What the last load fetched, as plain api data (it is carried in the page as JSON).</summary>
    protected abstract TLoaded Capture();

    /// <summary>Shows what <see cref="Capture"/> gave, as if <see cref="LoadAsync"/> had just fetched it.</summary>
    protected abstract void Restore(TLoaded loaded);

    /// <summary>Whether a change to this run concerns the page; every run by default.</summary>
    protected virtual bool Concerns(string runId) => true;

    /// <summary>Whether the page shows work still in progress (the fallback poll runs only then).</summary>
    protected virtual bool InProgress => false;

    /// <summary>Whether the page polls while in progress even with the feed up (imports are not run changes).</summary>
    protected virtual bool PollsWithFeed => false;

    // Only a load that worked is carried over; after a failed one the interactive render tries again.
    protected override void OnInitialized() =>
        _persisting = PrerenderState.Offer(GetType().FullName!, () => _loadedAt is { } loadedAt && LoadError is null ? new Prerendered(Capture(), loadedAt) : null);

    protected override Task OnParametersSetAsync()
    {
        if (!_parametersSeen)
        {
            _parametersSeen = true;
            if (PrerenderState.Take<Prerendered>(GetType().FullName!) is { } prerendered)
            {
                Restore(prerendered.Loaded);
                _restoredFrom = prerendered.LoadedAt;
                Loaded = true;
                return Task.CompletedTask;
            }
        }

        return SafeLoadAsync();
    }

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
            // A change while the feed was down is covered by the feed's refetch-all on reconnecting.
            if (_restoredFrom is { } loadedAt && (InProgress || Feed.LastChangeAt >= loadedAt))
            {
                _refresh.Request();
            }
        }
    }

    /// <summary>Refetch now (after an action the page took itself).</summary>
    protected void RequestRefresh() => _refresh?.Request();

    protected async Task SafeLoadAsync()
    {
        try
        {
            // Taken before the fetch: a change that lands while it is under way counts as after it.
            var startedAt = DateTimeOffset.UtcNow;
            await LoadAsync(_disposed.Token);
            LoadError = null;
            _loadedAt = startedAt;
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
        _persisting.Dispose();
        _subscription?.Dispose();
        _refresh?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>What the prerender fetched and when it started fetching it.</summary>
    private sealed record Prerendered(TLoaded Loaded, DateTimeOffset LoadedAt);
}
