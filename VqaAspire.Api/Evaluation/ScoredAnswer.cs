using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>One model's answer to one test example with its score under the dataset's metric (0 when unanswered).</summary>
internal sealed record ScoredAnswer(TestExample Example, ModelAnswer Answer, double MetricScore)
{
    public bool IsAnswered => Answer.Answer is not null;

    /// <summary>Refused by the provider's content filter: no answer, wrong, but not a failure to ask again.</summary>
    public bool IsFiltered => !IsAnswered && Answer.Filtered;

    /// <summary>No answer for any other reason (unreachable, refused, timed out).</summary>
    public bool IsFailed => !IsAnswered && !Answer.Filtered;

    /// <summary>An open-ended answer the judge should have graded and could not.</summary>
    public bool IsJudgeFailure => IsAnswered && !Example.IsYesNo && Answer.JudgeRating is null;
}
