using System.Diagnostics.Metrics;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Imaging;

/// <summary>An encoded image with the id it is cached under, and whether it came from the cache.</summary>
public sealed record CachedImage(string CacheId, EncodedImage Image, bool FromCache = false);

/// <summary>Encodes batches of images through the cache: one round trip to read, the misses encoded in parallel, one to write.</summary>
public sealed class CachedImageEncoder(ImageEncoder encoder, EncodedImageCache cache)
{
    private static readonly Counter<long> Encoded = PipelineTelemetry.Meter.CreateCounter<long>("vqa.images.encoded", description: "Images decoded and encoded to JPEG.");

    public async Task<CachedImage[]> EncodeAsync(IReadOnlyList<byte[]?> sources, ImageEncodingSettings settings, CancellationToken cancellationToken)
    {
        var ids = new string?[sources.Count];
        Parallel.For(0, sources.Count, i =>
            ids[i] = sources[i] is { Length: > 0 } bytes ? EncodedImageCache.CacheId(ImageEncoder.ContentHash(bytes), settings) : null);

        var present = Enumerable.Range(0, sources.Count).Where(i => ids[i] is not null).ToArray();
        var cached = await cache.GetManyAsync([.. present.Select(i => ids[i]!)]);

        var results = new CachedImage[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            if (ids[i] is null)
            {
                results[i] = new CachedImage("", EncodedImage.Failed(sources[i] is null ? "The image is missing (null)." : "The image is empty (0 bytes)."));
            }
        }

        var misses = new List<int>();
        for (var k = 0; k < present.Length; k++)
        {
            if (cached[k] is { } hit)
            {
                results[present[k]] = new CachedImage(ids[present[k]]!, hit, FromCache: true);
            }
            else
            {
                misses.Add(present[k]);
            }
        }

        await Parallel.ForEachAsync(misses, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            (i, _) =>
            {
                results[i] = new CachedImage(ids[i]!, encoder.Encode(sources[i]!, settings));
                return ValueTask.CompletedTask;
            });
        Encoded.Add(misses.Count);
        if (misses.Count > 0)
        {
            // The batch's decode and encode buffers are freed now: hand them back rather than keep them in glibc's arenas.
            NativeHeap.Trim();
        }

        await cache.SetManyAsync(misses.Select(i => (results[i].CacheId, results[i].Image)));
        return results;
    }
}
