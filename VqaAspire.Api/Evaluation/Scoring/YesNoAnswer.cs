namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>The yes/no word an answer gives. Unknown (a refusal, a hedge, anything else) is never right.</summary>
public enum YesNoAnswer
{
    Unknown,
    Yes,
    No,
}
