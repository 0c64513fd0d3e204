using System.Net.ServerSentEvents;
using System.Text.Json;

namespace VqaAspire.Web.Services;

/// <summary>
/// The web's one subscription to the api's <c>GET /api/runs/changes</c> stream of changed run ids, shared by every page.
/// It reconnects with a growing pause when the stream ends or fails; pages subscribe and refetch what they show.
/// </summary>
public sealed class RunChangeFeed(IHttpClientFactory httpClients, ILogger<RunChangeFeed> logger) : BackgroundService
{
    /// <summary>The named client the feed reads through: no request timeout, no resilience pipeline cutting a long stream.</summary>
    public const string HttpClientName = "run-changes";

    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private ImmutableSubscribers _subscribers = ImmutableSubscribers.Empty;
    private long _lastChangeTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>True while the stream is open; pages fall back to polling when it is not.</summary>
    public bool IsConnected
    {
        get;
        private set
        {
            if (field != value)
            {
                field = value;
                ConnectionChanged?.Invoke();
            }
        }
    }

    /// <summary>Raised when the stream opens or drops (the layout's live indicator redraws).</summary>
    public event Action? ConnectionChanged;

    /// <summary>Calls <paramref name="onChanged"/> with each changed run id until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action<string> onChanged)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Add(onChanged);
        }

        return new Subscription(this, onChanged);
    }

    /// <summary>When the last change was published (a page loaded before it may be out of date).</summary>
    public DateTimeOffset LastChangeAt => new(Interlocked.Read(ref _lastChangeTicks), TimeSpan.Zero);

    /// <summary>Tells every subscriber that a run changed (the stream does this; tests may too).</summary>
    public void Publish(string runId)
    {
        Interlocked.Exchange(ref _lastChangeTicks, DateTimeOffset.UtcNow.UtcTicks);
        foreach (var subscriber in _subscribers.Items)
        {
            try
            {
                subscriber(runId);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A run change subscriber failed.");
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var api = new VqaApiClient(httpClients.CreateClient(HttpClientName));
                using var response = await api.OpenRunChangesAsync(stoppingToken);
                await using var stream = await response.Content.ReadAsStreamAsync(stoppingToken);
                IsConnected = true;
                delay = FirstRetryDelay;

                // Anything may have changed while the stream was down: everyone refetches once.
                Publish("*");
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(stoppingToken))
                {
                    // "ready" opens the stream; "run-changed" (or an unnamed event) carries a run id.
                    if (item.EventType != "ready" && RunId(item.Data) is { } runId)
                    {
                        Publish(runId);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or ApiException or OperationCanceledException)
            {
                logger.LogDebug(ex, "The run change stream is down; retrying in {Delay}.", delay);
            }
            finally
            {
                IsConnected = false;
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>An event's data is the run id as a JSON string; a bare id is taken as it is.</summary>
    internal static string? RunId(string data)
    {
        data = data.Trim();
        if (data.Length == 0)
        {
            return null;
        }

        if (data[0] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(data);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return data;
    }

    private void Unsubscribe(Action<string> onChanged)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Remove(onChanged);
        }
    }

    private sealed class Subscription(RunChangeFeed feed, Action<string> onChanged) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Unsubscribe(onChanged);
            }
        }
    }

    /// <summary>Copy-on-write list, so publishing never holds the lock while a page redraws.</summary>
    private sealed record ImmutableSubscribers(Action<string>[] Items)
    {
        public static readonly ImmutableSubscribers Empty = new([]);

        public ImmutableSubscribers Add(Action<string> item) => new([.. Items, item]);

        public ImmutableSubscribers Remove(Action<string> item) => new([.. Items.Where(i => !ReferenceEquals(i, item))]);
    }
}
