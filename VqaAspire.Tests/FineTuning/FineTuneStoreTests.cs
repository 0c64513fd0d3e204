using VqaAspire.Api.FineTuning;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.FineTuning;

/// <summary>The fine-tune's event log in a real Redis-protocol server: each provider event recorded once.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class FineTuneStoreTests(GarnetFixture cache) : IClassFixture<GarnetFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EventsReadFromACursorThatHasSinceMovedAreNotRecordedAgain()
    {
        var store = new FineTuneStore(cache.Redis);
        var runId = $"run-{Guid.NewGuid():N}";

        // Two followers (an api and its restarted self) both read events 1-2 from the start.
        Assert.True(await store.AppendEventsAsync(runId, null, [Event(1), Event(2)]));
        Assert.False(await store.AppendEventsAsync(runId, null, [Event(1), Event(2)]));
        // The follower that reads from where the log now ends goes on.
        Assert.Equal("ftevent-2", await store.EventCursorAsync(runId));
        Assert.True(await store.AppendEventsAsync(runId, "ftevent-2", [Event(3)]));
        Assert.False(await store.AppendEventsAsync(runId, "ftevent-2", [Event(3)]));

        var events = await store.EventsAsync(runId, 0, 100);
        Assert.Equal(["ftevent-1", "ftevent-2", "ftevent-3"], events.Select(e => e.Id));
        Assert.Equal("ftevent-3", await store.EventCursorAsync(runId));
    }

    private static FineTuneEvent Event(int n) => new($"ftevent-{n}", At.AddSeconds(n), "info", "message", $"Step {n}");
}
