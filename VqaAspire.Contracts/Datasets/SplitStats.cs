namespace VqaAspire.Contracts;

/// <summary>What an import found in one split.</summary>
/// <param name="Images">Usable images (records without a problem).</param>
/// <param name="QaPairs">Question/answer pairs of those images.</param>
/// <param name="QuestionKinds">QA pairs per question kind (Author, Title, Genre, Type, YesNo, Other).</param>
/// <param name="Width">Image widths in pixels, where known.</param>
/// <param name="Height">Image heights in pixels, where known.</param>
/// <param name="Skipped">Records skipped for a problem (listed in the dataset's problems).</param>
public sealed record SplitStats(
    string Split,
    int Images,
    int QaPairs,
    IReadOnlyDictionary<string, int> QuestionKinds,
    SizeSummary? Width,
    SizeSummary? Height,
    int Skipped);
