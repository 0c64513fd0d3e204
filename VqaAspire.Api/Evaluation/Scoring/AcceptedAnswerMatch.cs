namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>Exact match against every accepted answer, after the official VQA normalisation of both sides.</summary>
public static class AcceptedAnswerMatch
{
    /// <summary>True when the prediction equals any accepted answer once both are normalised.</summary>
    /// <param name="normalize">The answer normalisation: the official one unless the lenient variant is asked.</param>
    public static bool IsMatch(string prediction, IEnumerable<string> acceptedAnswers, Func<string, string>? normalize = null)
    {
        normalize ??= VqaAnswerNormalizer.Normalize;
        var normalized = normalize(prediction);
        return acceptedAnswers.Any(answer => normalize(answer) == normalized);
    }

    /// <summary>True when the prediction equals the truth or any other accepted answer once normalised.</summary>
    public static bool IsMatch(string prediction, string truth, IEnumerable<string> acceptedAnswers, Func<string, string>? normalize = null) =>
        IsMatch(prediction, acceptedAnswers.Prepend(truth), normalize);
}
