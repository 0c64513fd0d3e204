using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// The bounded queue between the endpoints and the import workers of every replica; a full queue refuses the import.
/// A Hugging Face token never goes to Redis: it stays in the memory of the replica that received it, which adds it
/// back when it takes the import itself (another replica, or this one after a restart, imports without it, as a
/// restarted import always did).
/// </summary>
public sealed class DatasetImportQueue(IConnectionMultiplexer redis, IOptions<WorkerOptions> options, WorkerIdentity identity, ILogger<DatasetImportQueue> logger)
    : RedisWorkQueue<ImportJob>(redis, "import", capacity: 64, options, identity, logger)
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    protected override string KeyOf(ImportJob item) => item.DatasetId;

    protected override string Serialize(ImportJob item)
    {
        if (item.HuggingFaceToken is { Length: > 0 } token)
        {
            _tokens[item.DatasetId] = token;
        }

        return base.Serialize(item with { HuggingFaceToken = null });
    }

    protected override ImportJob Deserialize(string payload)
    {
        var job = base.Deserialize(payload);
        return _tokens.TryRemove(job.DatasetId, out var token) ? job with { HuggingFaceToken = token } : job;
    }
}
