namespace VqaAspire.Contracts;

/// <summary>
/// One example's answers and grades, for the example browser and the export: with what it was scored against and how,
/// so the export can be audited alone.
/// </summary>
/// <param name="ImageCacheId">The encoded image's content id; null when the image was not encoded through the cache.</param>
/// <param name="AcceptedAnswers">Every answer the example was scored against (for VQA accuracy the annotators', repeats kept).</param>
/// <param name="ClusterId">The image the intervals and tests group this example by: the content id, else the dataset's image id.</param>
public sealed record ExampleResult(
    string ExampleId,
    string Kind,
    string Question,
    string Truth,
    string? ImageCacheId,
    IReadOnlyList<ModelAnswer> Answers,
    IReadOnlyList<string>? AcceptedAnswers = null,
    string? ClusterId = null);
