using StackExchange.Redis;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// A cancel asked of one replica for an evaluation another replica runs: published to every replica (the one running
/// it stops it), and kept a while as a key, for a replica that takes the evaluation just after the message went by.
/// </summary>
public static class EvaluationCancels
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("vqa:evaluations:cancel");
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(10);

    public static async Task RequestAsync(IConnectionMultiplexer redis, string evaluationId)
    {
        await redis.GetDatabase().StringSetAsync(Key(evaluationId), 1, Remembered);
        await redis.GetSubscriber().PublishAsync(Channel, evaluationId);
    }

    public static async Task<bool> IsRequestedAsync(IConnectionMultiplexer redis, string evaluationId) =>
        await redis.GetDatabase().KeyExistsAsync(Key(evaluationId));

    /// <summary>Calls <paramref name="cancel"/> with each evaluation id whose cancel is asked, until disposed.</summary>
    public static async Task<IAsyncDisposable> SubscribeAsync(IConnectionMultiplexer redis, Action<string> cancel)
    {
        var subscription = await redis.GetSubscriber().SubscribeAsync(Channel);
        subscription.OnMessage(message => cancel(message.Message.ToString()));
        return new Unsubscribe(subscription);
    }

    private static RedisKey Key(string evaluationId) => $"vqa:evaluations:{evaluationId}:cancel";

    private sealed class Unsubscribe(ChannelMessageQueue subscription) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await subscription.UnsubscribeAsync();
    }
}
