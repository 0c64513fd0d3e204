namespace VqaAspire.Contracts;

/// <summary>
/// Model B minus model A (fine-tuned minus base) on the examples BOTH answered, in points, with its 95%
/// cluster-bootstrap interval (images resampled); <paramref name="ScoreA"/> and <paramref name="ScoreB"/> are the two
/// models' scores on those same examples, so the difference is exactly <c>ScoreB - ScoreA</c>. An example one model
/// left unanswered is a failure of its deployment, not an answer: it is left out here and shown as coverage
/// (<paramref name="AnsweredA"/>, <paramref name="AnsweredB"/> of <paramref name="Total"/>). Without paired examples the values are null.
/// </summary>
/// <param name="Measure">The dataset's metric, e.g. "Exact match".</param>
/// <param name="Kind">The question kind, or "all".</param>
/// <param name="Pairs">Examples both models answered: the examples of the difference and of both scores.</param>
/// <param name="Images">Images those examples came from.</param>
/// <param name="Reading">"+4.2 points (95% CI +1.0 to +7.5)" or "no paired examples"; with three or more models the overall row adds its Holm-adjusted p.</param>
/// <param name="PValue">On the overall row: the two-sided p-value of flipping the sign of each image's summed difference; null on kind rows or without pairs.</param>
/// <param name="AdjustedPValue">With three or more models, <paramref name="PValue"/> Holm-adjusted across the pairs' overall rows.</param>
/// <param name="ScoreA">Model A's mean score on the paired examples, in points (0 to 100); null without pairs.</param>
/// <param name="ScoreB">Model B's mean score on the paired examples, in points; null without pairs.</param>
/// <param name="AnsweredA">Examples of this kind model A answered.</param>
/// <param name="AnsweredB">Examples of this kind model B answered.</param>
/// <param name="Total">Examples of this kind in the test set.</param>
public sealed record PairedComparison(string ModelA, string ModelB, string Measure, string Kind, int Pairs, int Images,
    double? Points, double? Lower, double? Upper, string Reading, double? PValue = null, double? AdjustedPValue = null,
    double? ScoreA = null, double? ScoreB = null, int AnsweredA = 0, int AnsweredB = 0, int Total = 0);
