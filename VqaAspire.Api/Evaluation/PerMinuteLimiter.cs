using System.Threading.RateLimiting;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// A requests- or tokens-per-minute budget: a token bucket refilled every second with a sixtieth of the minute's
/// budget, so requests flow evenly instead of in a burst each minute.
/// </summary>
public sealed class PerMinuteLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly int _bucketSize;

    public PerMinuteLimiter(int perMinute)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perMinute);
        var perSecond = perMinute / 60.0;
        _bucketSize = Math.Max(1, (int)Math.Ceiling(perSecond));
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _bucketSize,
            TokensPerPeriod = _bucketSize,
            ReplenishmentPeriod = TimeSpan.FromSeconds(_bucketSize / perSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Waits for the permits; a request larger than the bucket waits for a full bucket rather than forever.</summary>
    public async Task AcquireAsync(int permits, CancellationToken cancellationToken)
    {
        using var lease = await _bucket.AcquireAsync(Math.Clamp(permits, 1, _bucketSize), cancellationToken);
    }

    public void Dispose() => _bucket.Dispose();
}
