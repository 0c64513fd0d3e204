using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using VqaAspire.Web.Services;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Web;

/// <summary>The pieces behind live pages: the change feed's event parsing and the redraw throttle.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class LiveUpdateTests
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(700);
    private static readonly TimeSpan FeedTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("\"run-42\"", "run-42")]
    [InlineData("run-42", "run-42")]
    [InlineData("", null)]
    public void FeedReadsARunIdFromAnEvent(string data, string? expected) => Assert.Equal(expected, RunChangeFeed.RunId(data));

    [Fact]
    public async Task FeedReadsTheApisStreamTellsSubscribersAndReconnectsWhenItEnds()
    {
        var streams = new StreamingApi("event: ready\ndata: \n\nevent: run-changed\ndata: run-7\n\n");
        var feed = new RunChangeFeed(streams, NullLogger<RunChangeFeed>.Instance);
        var seen = new List<string>();
        using var subscription = feed.Subscribe(id =>
        {
            lock (seen)
            {
                seen.Add(id);
            }
        });

        await feed.StartAsync(CancellationToken.None);
        await Polling.WaitAsync(() => Task.FromResult(streams.Opened), opened => opened >= 2, FeedTimeout, TimeSpan.FromMilliseconds(50));

        await feed.StopAsync(CancellationToken.None);
        Assert.True(streams.Opened >= 2, "The feed did not reconnect after the stream ended.");
        lock (seen)
        {
            // Each (re)connection asks everyone to refetch once ("*"), then the run the stream named; "ready" names none.
            Assert.Equal(["*", "run-7"], seen.Take(2));
        }

        Assert.Equal("/api/runs/changes", streams.LastPath);
    }

    [Fact]
    public async Task ABurstOfChangesRedrawsAtMostTwiceAndTheLastChangeIsNeverLost()
    {
        var refreshes = 0;
        using var throttle = new ThrottledRefresh(_ =>
        {
            Interlocked.Increment(ref refreshes);
            return Task.CompletedTask;
        });

        for (var i = 0; i < 100; i++)
        {
            throttle.Request();
        }

        await RefreshesAsync(() => Volatile.Read(ref refreshes), n => n >= 1);
        await Task.Delay(SettleTime);
        Assert.InRange(refreshes, 1, 2);

        var before = Volatile.Read(ref refreshes);
        throttle.Request();
        await RefreshesAsync(() => Volatile.Read(ref refreshes), n => n > before);
        await Task.Delay(SettleTime);
        Assert.Equal(before + 1, refreshes);
    }

    /// <summary>Waits for a refresh that is due, however slow a busy machine runs the timer.</summary>
    private static Task<int> RefreshesAsync(Func<int> count, Func<int, bool> done) =>
        Polling.WaitAsync(() => Task.FromResult(count()), done, FeedTimeout, TimeSpan.FromMilliseconds(20));

    /// <summary>Serves the same short event stream on every request, as an api whose stream ends after two events.</summary>
    private sealed class StreamingApi(string events) : HttpMessageHandler, IHttpClientFactory
    {
        private int _opened;

        public int Opened => Volatile.Read(ref _opened);

        public string? LastPath { get; private set; }

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://api.test") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _opened);
            LastPath = request.RequestUri?.AbsolutePath;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(events, Encoding.UTF8, "text/event-stream"),
            });
        }
    }
}
