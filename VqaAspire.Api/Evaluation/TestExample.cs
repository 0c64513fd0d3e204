using VqaAspire.Api.Datasets;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>A test example's truth, from the prepared <c>test.examples.jsonl</c>.</summary>
public sealed record TestExample(int Line, string ExampleId, string Question, string Truth, IReadOnlyList<string> AcceptedAnswers, string Kind, string? ImageCacheId)
{
    public bool IsYesNo => Kind == nameof(QuestionKind.YesNo) || QuestionKinds.IsYesNo(Truth);
}
