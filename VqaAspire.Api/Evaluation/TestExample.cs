using VqaAspire.Api.Datasets;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>A test example's truth, from the prepared <c>test.examples.jsonl</c>.</summary>
/// <param name="ImageId">The dataset's id of the example's image (its row), the cluster its questions share.</param>
public sealed record TestExample(int Line, string ExampleId, string Question, string Truth, IReadOnlyList<string> AcceptedAnswers, string Kind, string? ImageCacheId,
    string? ImageId = null)
{
    public bool IsYesNo => Kind == nameof(QuestionKind.YesNo) || QuestionKinds.IsYesNo(Truth);

    /// <summary>The cluster for intervals: questions about one image are not independent. Example ids are {imageId}#q{n}.</summary>
    public string ClusterId => ImageId ?? ExampleId.Split("#q")[0];
}
