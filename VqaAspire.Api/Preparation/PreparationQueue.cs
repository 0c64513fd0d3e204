using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Preparation;

/// <summary>Runs waiting to be prepared, by id, shared by every replica. Bounded: a flood of requests waits instead of exhausting memory.</summary>
public sealed class PreparationQueue(IConnectionMultiplexer redis, IOptions<WorkerOptions> options, WorkerIdentity identity, ILogger<PreparationQueue> logger)
    : RedisWorkQueue<string>(redis, "preparation", capacity: 256, options, identity, logger)
{
    protected override string KeyOf(string item) => item;

    protected override string Serialize(string item) => item;

    protected override string Deserialize(string payload) => payload;
}
