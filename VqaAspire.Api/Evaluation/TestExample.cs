using VqaAspire.Api.Datasets;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>A test example's truth, from the prepared <c>test.examples.jsonl</c>.</summary>
/// <param name="ImageCacheId">The encoded image's content id: the same picture has the same id, whichever row it came from.</param>
/// <param name="ImageId">The dataset's id of the example's row (for VQAv2 and TextVQA a question's, not the picture's).</param>
public sealed record TestExample(int Line, string ExampleId, string Question, string Truth, IReadOnlyList<string> AcceptedAnswers, string Kind, string? ImageCacheId,
    string? ImageId = null)
{
    public bool IsYesNo => Kind == nameof(QuestionKind.YesNo) || QuestionKinds.IsYesNo(Truth);

    /// <summary>
    /// The cluster for intervals: questions about one picture are not independent. The picture's content id groups them
    /// even where a dataset gives each question its own row (VQAv2, TextVQA); then the row id, then the example id's
    /// image part ({imageId}#q{n}).
    /// </summary>
    public string ClusterId => ImageCacheId ?? ImageId ?? ExampleId.Split("#q")[0];
}
