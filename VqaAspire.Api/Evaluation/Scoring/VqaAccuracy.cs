namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// The VQA accuracy of VQAv2 and TextVQA: for each annotator left out, min(matching other annotators / 3, 1),
/// averaged over the leave-one-out subsets. Answers are compared after the official VQA normalisation.
/// </summary>
public static class VqaAccuracy
{
    /// <summary>Annotators that must agree with a prediction for it to count fully.</summary>
    public const int AnnotatorsForFullCredit = 3;

    /// <summary>
    /// The score in [0, 1] against every annotator's answer, repeats included (ten in VQAv2 and TextVQA; any number
    /// works). With one answer there is nothing left after leaving one out, so it is a plain exact match.
    /// </summary>
    /// <param name="normalize">The answer normalisation: the official one unless the lenient variant is asked.</param>
    public static double Score(string prediction, IReadOnlyList<string> annotatorAnswers, Func<string, string>? normalize = null)
    {
        normalize ??= VqaAnswerNormalizer.Normalize;
        var n = annotatorAnswers.Count;
        if (n == 0)
        {
            return 0;
        }

        var normalized = normalize(prediction);
        var matches = annotatorAnswers.Count(answer => normalize(answer) == normalized);
        if (n == 1)
        {
            return matches;
        }

        // Leaving out one of the `matches` agreeing annotators leaves matches - 1 agreeing; leaving out any other leaves all of them.
        var withoutAMatch = Math.Min((matches - 1) / (double)AnnotatorsForFullCredit, 1);
        var withoutAnother = Math.Min(matches / (double)AnnotatorsForFullCredit, 1);
        return matches == 0 ? 0 : (matches * withoutAMatch + (n - matches) * withoutAnother) / n;
    }
}
