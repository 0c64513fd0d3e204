using VqaAspire.Contracts;

namespace VqaAspire.Api.Preparation;

/// <summary>The examples a preparation skipped: all counted, the first <c>maxKept</c> kept for the outcome.</summary>
public sealed class SkipLog(int maxKept)
{
    private readonly Dictionary<string, HashSet<string>> _imagesBySplit = [];

    public List<SkippedExample> Kept { get; } = [];

    public int Count { get; private set; }

    public void Add(SkippedExample skip)
    {
        Count++;
        if (skip.ExampleId is null)
        {
            (_imagesBySplit.TryGetValue(skip.Split, out var set) ? set : _imagesBySplit[skip.Split] = []).Add(skip.ImageId);
        }

        if (Kept.Count < maxKept)
        {
            Kept.Add(skip);
        }
    }

    /// <summary>Whole images skipped in the split (not single questions).</summary>
    public int ImagesSkipped(string split) => _imagesBySplit.TryGetValue(split, out var set) ? set.Count : 0;
}
