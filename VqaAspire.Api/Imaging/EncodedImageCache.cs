using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Imaging;

/// <summary>
/// Encoded images in Redis, content-addressed by the hash of the source bytes plus the encoding settings, so the
/// same picture prepared again with the same settings is read, not encoded.
/// </summary>
public sealed class EncodedImageCache(IConnectionMultiplexer redis, IOptions<ImageCacheOptions> options)
{
    public const string KeyPrefix = "vqa:img:";

    private static readonly Counter<long> Hits = PipelineTelemetry.Meter.CreateCounter<long>("vqa.images.cache_hits", description: "Encoded images read from the cache.");
    private static readonly Counter<long> Misses = PipelineTelemetry.Meter.CreateCounter<long>("vqa.images.cache_misses", description: "Images not in the cache, encoded again.");

    /// <summary>The cache id of an image: safe in URLs, reveals nothing but a hash.</summary>
    public static string CacheId(string contentHash, ImageEncodingSettings settings) =>
        $"{contentHash}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(settings.CacheDiscriminator)))[..12]}";

    /// <summary>Reads many entries in one round trip; null where absent.</summary>
    public async Task<EncodedImage?[]> GetManyAsync(IReadOnlyList<string> cacheIds)
    {
        if (cacheIds.Count == 0)
        {
            return [];
        }

        var values = await redis.GetDatabase().StringGetAsync([.. cacheIds.Select(id => (RedisKey)(KeyPrefix + id))]);
        var result = new EncodedImage?[values.Length];
        var hits = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].HasValue)
            {
                result[i] = Unpack((byte[])values[i]!);
                hits++;
            }
        }

        Hits.Add(hits);
        Misses.Add(values.Length - hits);
        return result;
    }

    public async Task<EncodedImage?> GetAsync(string cacheId) => (await GetManyAsync([cacheId]))[0];

    /// <summary>Stores encoded images (pipelined) with the configured time to live.</summary>
    public Task SetManyAsync(IEnumerable<(string CacheId, EncodedImage Image)> entries)
    {
        var db = redis.GetDatabase();
        var ttl = options.Value.TimeToLive;
        return Task.WhenAll(entries
            .Where(e => e.Image.Jpeg is not null)
            .Select(e => db.StringSetAsync(KeyPrefix + e.CacheId, Pack(e.Image), ttl)));
    }

    // Layout: width (int32), height (int32), JPEG bytes. Raw bytes, a third smaller than base64.
    private static byte[] Pack(EncodedImage image)
    {
        var packed = new byte[8 + image.Jpeg!.Length];
        BinaryPrimitives.WriteInt32LittleEndian(packed, image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(4), image.Height);
        image.Jpeg.CopyTo(packed, 8);
        return packed;
    }

    private static EncodedImage? Unpack(byte[] packed) => packed.Length <= 8
        ? null
        : new EncodedImage(packed[8..], BinaryPrimitives.ReadInt32LittleEndian(packed), BinaryPrimitives.ReadInt32LittleEndian(packed.AsSpan(4)), null);
}
