using VqaAspire.Api.Datasets;

namespace VqaAspire.Api.Preparation;

/// <summary>Seeded sampling of images per split, plain or stratified by question kind.</summary>
public static class Sampler
{
    /// <summary>
    /// Picks <paramref name="count"/> images by a seeded Fisher-Yates shuffle of the source order. The same source,
    /// count and seed always give the same images in the same order. Stratified: each image falls in the bucket of
    /// its most frequent question kind, and buckets keep their share (largest remainder).
    /// </summary>
    public static IReadOnlyList<VqaImageSummary> Sample(IReadOnlyList<VqaImageSummary> images, int count, int seed, bool stratify)
    {
        if (count <= 0 || images.Count == 0)
        {
            return [];
        }

        if (!stratify)
        {
            return Shuffle(images, seed).Take(count).ToList();
        }

        var buckets = images.GroupBy(PrimaryKind).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var take = Math.Min(count, images.Count);
        var exact = buckets.Select(b => (double)b.Count * take / images.Count).ToArray();
        var quotas = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var i in Enumerable.Range(0, buckets.Count).OrderByDescending(i => exact[i] - quotas[i]).ThenBy(i => i).Take(take - quotas.Sum()))
        {
            quotas[i]++;
        }

        var chosen = buckets.SelectMany((bucket, i) => Shuffle(bucket, seed + i).Take(quotas[i])).ToList();
        // Interleave the buckets so any prefix of the sample is mixed too.
        return Shuffle(chosen, seed);
    }

    private static QuestionKind PrimaryKind(VqaImageSummary image) =>
        image.QuestionKinds.Count == 0
            ? QuestionKind.Other
            : image.QuestionKinds.GroupBy(k => k).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    private static List<T> Shuffle<T>(IReadOnlyList<T> items, int seed)
    {
        var copy = items.ToList();
        var random = new Random(seed);
        for (var i = copy.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy;
    }
}
