extern alias web;

using web::VqaAspire.Web.Services;

namespace VqaAspire.Tests.Web;

/// <summary>The pieces behind live pages: the change feed's event parsing and the redraw throttle.</summary>
public sealed class LiveUpdateTests
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(700);

    [Theory]
    [InlineData("\"run-42\"", "run-42")]
    [InlineData("run-42", "run-42")]
    [InlineData("", null)]
    public void FeedReadsARunIdFromAnEvent(string data, string? expected) => Assert.Equal(expected, RunChangeFeed.RunId(data));

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

        await Task.Delay(SettleTime);
        Assert.InRange(refreshes, 1, 2);

        throttle.Request();
        await Task.Delay(SettleTime);
        Assert.InRange(refreshes, 2, 3);
    }
}
