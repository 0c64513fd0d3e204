using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Api.Evaluation.Scoring;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// A model's yes/no accuracy against the majority baseline, paired question by question: each question scores 1 for
/// the model when its yes/no word is the truth's and 1 for the baseline when the truth is the commoner word, so the
/// difference and its cluster-bootstrap interval (images resampled) are on the same questions as the accuracy.
/// </summary>
internal static class YesNoBaseline
{
    /// <summary>Model minus baseline in points with its 95% interval, over the questions whose truth is Yes or No.</summary>
    public static PairedDifference VersusMajority(IReadOnlyList<ScoredAnswer> answers)
    {
        var graded = answers.Where(a => a.Example.IsYesNo && YesNoScoring.Extract(a.Example.Truth) != YesNoAnswer.Unknown).ToList();
        var truths = graded.Select(a => YesNoScoring.Extract(a.Example.Truth)).ToList();
        var yes = truths.Count(t => t == YesNoAnswer.Yes);
        // The commoner word, Yes on a tie, as the report's majority answer.
        var majority = yes >= truths.Count - yes ? YesNoAnswer.Yes : YesNoAnswer.No;
        return ClusterBootstrap.Difference(
            [.. truths.Select(t => t == majority ? 1.0 : 0.0)],
            [.. graded.Select((a, i) => YesNoScoring.Extract(a.Answer.Answer ?? "") == truths[i] ? 1.0 : 0.0)],
            [.. graded.Select(a => a.Example.ClusterId)]);
    }
}
