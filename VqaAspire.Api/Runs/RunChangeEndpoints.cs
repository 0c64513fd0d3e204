using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using StackExchange.Redis;
using VqaAspire.Api.Storage;

namespace VqaAspire.Api.Runs;

public static class RunChangeEndpoints
{
    public const string ReadyEvent = "ready";
    public const string RunChangedEvent = "run-changed";

    /// <summary>
    /// Maps <c>GET /api/runs/changes</c>: server-sent events for live views. A <c>ready</c> event first (so the
    /// response starts at once), then a <c>run-changed</c> event, whose data is the run id, per change of a run.
    /// </summary>
    public static IEndpointRouteBuilder MapRunChangeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/runs/changes", (IConnectionMultiplexer redis, IHostApplicationLifetime lifetime, CancellationToken cancellationToken) =>
                TypedResults.ServerSentEvents(ChangesAsync(redis, lifetime.ApplicationStopping, cancellationToken)))
            .WithTags("Runs").WithName("RunChanges")
            .WithSummary("A stream of run ids, one event each time a run's preparation, upload, fine-tune or evaluation changes.");
        return app;
    }

    private static async IAsyncEnumerable<SseItem<string>> ChangesAsync(IConnectionMultiplexer redis, CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken requestAborted)
    {
        // The stream ends when the client leaves or the api stops: an open stream would hold shutdown for 30 s.
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(stopping, requestAborted);
        // Bounded and dropping the oldest: a slow reader misses intermediate states, never the latest one.
        var changes = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        var subscription = await RunChanges.SubscribeAsync(redis, runId => changes.Writer.TryWrite(runId));
        // Completing the channel ends the stream cleanly, where a cancelled read would end it with an error.
        using var ending = ends.Token.Register(() => changes.Writer.TryComplete());
        try
        {
            yield return new SseItem<string>("", ReadyEvent);
            await foreach (var runId in changes.Reader.ReadAllAsync())
            {
                yield return new SseItem<string>(runId, RunChangedEvent);
            }
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }
}
