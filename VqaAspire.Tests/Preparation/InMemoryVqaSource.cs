using System.Runtime.CompilerServices;
using VqaAspire.Tests.Imaging;
using VqaAspire.Api.Datasets;

namespace VqaAspire.Tests.Preparation;

/// <summary>A dataset held in memory, for testing preparation without any file format in the way.</summary>
public sealed class InMemoryVqaSource(IReadOnlyList<VqaImageRecord> records) : IVqaSource
{
    public int ReadPasses { get; private set; }

    /// <summary>Images per split with 2-4 OCR-VQA style questions each, every image a distinct picture.</summary>
    public static InMemoryVqaSource Covers(int train, int validation, int test)
    {
        var records = new List<VqaImageRecord>();
        var n = 0;
        foreach (var (split, count) in new[] { (VqaSplits.Train, train), (VqaSplits.Validation, validation), (VqaSplits.Test, test) })
        {
            for (var i = 0; i < count; i++, n++)
            {
                records.Add(Cover($"{split}-{i:0000}", split, n));
            }
        }

        return new InMemoryVqaSource(records);
    }

    public static VqaImageRecord Cover(string id, string split, int n)
    {
        var questions = new List<VqaQuestion>
        {
            Q("Who wrote this book?", $"Author {n}"),
            Q("What is the title of this book?", $"Title number {n}"),
            Q("Is this a comedy book?", n % 2 == 0 ? "Yes" : "No"),
        };
        if (n % 3 == 0)
        {
            questions.Add(Q("What is the genre of this book?", "Mystery, Thriller & Suspense"));
        }

        return new VqaImageRecord(id, split, TestImages.Noise(48, 64, n), questions, new Dictionary<string, string> { ["title"] = $"Title number {n}" });
    }

    public static VqaQuestion Q(string text, string answer) => new(text, answer, [answer], QuestionKinds.Classify(text, answer));

    public async IAsyncEnumerable<VqaImageSummary> ListAsync(string split, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var record in records.Where(r => r.Split == split))
        {
            await Task.Yield();
            yield return new VqaImageSummary(record.ImageId, [.. record.Questions.Select(q => q.Kind)]);
        }
    }

    public async IAsyncEnumerable<VqaImageRecord> ReadAsync(string split, IReadOnlySet<string>? imageIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ReadPasses++;
        foreach (var record in records.Where(r => r.Split == split && (imageIds is null || imageIds.Contains(r.ImageId))))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return record;
        }
    }
}
