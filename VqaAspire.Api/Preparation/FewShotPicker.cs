using VqaAspire.Api.Datasets;
using VqaAspire.Api.Imaging;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Preparation;

/// <summary>
/// Picks the few-shot pairs: the requested train example ids, or the first sampled train examples taking one question
/// kind at a time so the pairs show the model every kind of question.
/// </summary>
public static class FewShotPicker
{
    public static async Task<IReadOnlyList<FewShotPair>> PickAsync(CachedImageEncoder images, IVqaSource source, IReadOnlyList<VqaImageSummary> train,
        PromptSettings prompt, ImageEncodingSettings encoding, EncodeCounters counters, CancellationToken cancellationToken)
    {
        if (prompt.FewShotCount == 0 && prompt.FewShotExampleIds is not { Count: > 0 })
        {
            return [];
        }

        var requested = prompt.FewShotExampleIds?.Take(PromptDefaults.MaxFewShot).ToList();
        var imageIds = requested is { Count: > 0 }
            ? requested.Select(id => id.Split("#q")[0]).ToHashSet(StringComparer.Ordinal)
            : train.Take(prompt.FewShotCount * 2).Select(s => s.ImageId).ToHashSet(StringComparer.Ordinal);

        var candidates = new List<(string ExampleId, VqaQuestion Question, byte[] Image)>();
        await foreach (var record in source.ReadAsync(VqaSplits.Train, imageIds, cancellationToken))
        {
            if (record.Problem is null && record.ImageBytes is { Length: > 0 } && imageIds.Contains(record.ImageId))
            {
                candidates.AddRange(record.Questions.Select((q, i) => (DatasetPreparer.ExampleId(record.ImageId, i), q, record.ImageBytes)));
            }
        }

        var order = train.Select((s, i) => (s.ImageId, i)).ToDictionary(x => x.ImageId, x => x.i);
        candidates = [.. candidates.OrderBy(c => order.GetValueOrDefault(c.ExampleId.Split("#q")[0], int.MaxValue)).ThenBy(c => c.ExampleId, StringComparer.Ordinal)];
        var picked = requested is { Count: > 0 }
            ? [.. requested.Select(id => candidates.FirstOrDefault(c => c.ExampleId == id)).Where(c => c.ExampleId is not null)]
            : RoundRobinByKind(candidates, prompt.FewShotCount);

        var encoded = await images.EncodeAsync([.. picked.Select(p => p.Image)], encoding, cancellationToken);
        counters.Count(encoded);
        return [.. picked.Zip(encoded).Where(x => x.Second.Image.Problem is null)
            .Select(x => new FewShotPair(x.First.ExampleId, x.First.Question.Text, x.First.Question.Answer, x.Second.Image.ToDataUrlJson(), x.Second.Image.Width, x.Second.Image.Height))];
    }

    private static List<(string ExampleId, VqaQuestion Question, byte[] Image)> RoundRobinByKind(
        List<(string ExampleId, VqaQuestion Question, byte[] Image)> candidates, int count)
    {
        var byKind = candidates.GroupBy(c => c.Question.Kind).OrderBy(g => g.Key).Select(g => new Queue<(string, VqaQuestion, byte[])>(g)).ToList();
        var picked = new List<(string, VqaQuestion, byte[])>();
        while (picked.Count < count && byKind.Any(q => q.Count > 0))
        {
            foreach (var queue in byKind.Where(q => q.Count > 0))
            {
                if (picked.Count < count)
                {
                    picked.Add(queue.Dequeue());
                }
            }
        }

        return picked;
    }
}
