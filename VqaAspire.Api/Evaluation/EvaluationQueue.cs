using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Evaluation;

/// <summary>Evaluations waiting to run, by id, shared by every replica. Bounded: a flood of requests waits instead of exhausting memory.</summary>
public sealed class EvaluationQueue(IConnectionMultiplexer redis, IOptions<WorkerOptions> options, WorkerIdentity identity, ILogger<EvaluationQueue> logger)
    : RedisWorkQueue<string>(redis, "evaluation", capacity: 256, options, identity, logger)
{
    protected override string KeyOf(string item) => item;

    protected override string Serialize(string item) => item;

    protected override string Deserialize(string payload) => payload;
}
