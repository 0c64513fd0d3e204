namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>Exact match against every accepted answer, after the official VQA normalisation of both sides.</summary>
public static class AcceptedAnswerMatch
{
    /// <summary>True when the prediction equals any accepted answer once both are normalised.</summary>
    public static bool IsMatch(string prediction, IEnumerable<string> acceptedAnswers)
    {
        var normalized = VqaAnswerNormalizer.Normalize(prediction);
        return acceptedAnswers.Any(answer => VqaAnswerNormalizer.Normalize(answer) == normalized);
    }

    /// <summary>True when the prediction equals the truth or any other accepted answer once normalised.</summary>
    public static bool IsMatch(string prediction, string truth, IEnumerable<string> acceptedAnswers) =>
        IsMatch(prediction, acceptedAnswers.Prepend(truth));
}
