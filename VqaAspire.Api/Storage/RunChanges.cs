using StackExchange.Redis;

namespace VqaAspire.Api.Storage;

/// <summary>
/// The pub/sub channel that carries a run's id each time the run, or anything that belongs to it (an evaluation),
/// is saved. Stores publish on it as part of their save; live views and the pipeline's conductor subscribe.
/// </summary>
public static class RunChanges
{
    public static RedisChannel Channel { get; } = RedisChannel.Literal("vqa:runs:changed");

    /// <summary>Calls <paramref name="changed"/> with the run id of every change until the subscription is dropped.</summary>
    public static async Task<ChannelMessageQueue> SubscribeAsync(IConnectionMultiplexer redis, Action<string> changed)
    {
        var subscription = await redis.GetSubscriber().SubscribeAsync(Channel);
        subscription.OnMessage(message => changed(message.Message.ToString()));
        return subscription;
    }
}
