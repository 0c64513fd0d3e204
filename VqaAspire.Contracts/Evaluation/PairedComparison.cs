namespace VqaAspire.Contracts;

/// <summary>
/// Model B minus model A (fine-tuned minus base) on the examples both answered, in points, with its 95%
/// cluster-bootstrap interval (images resampled). Without paired examples the values are null.
/// </summary>
/// <param name="Measure">The dataset's metric, e.g. "Exact match".</param>
/// <param name="Kind">The question kind, or "all".</param>
/// <param name="Pairs">Examples both models answered.</param>
/// <param name="Images">Images those examples came from.</param>
/// <param name="Reading">"+4.2 points (95% CI +1.0 to +7.5)" or "no paired examples"; with three or more models the overall row adds its Holm-adjusted p.</param>
/// <param name="PValue">On the overall row: the two-sided p-value of flipping the sign of each image's summed difference; null on kind rows or without pairs.</param>
/// <param name="AdjustedPValue">With three or more models, <paramref name="PValue"/> Holm-adjusted across the pairs' overall rows.</param>
public sealed record PairedComparison(string ModelA, string ModelB, string Measure, string Kind, int Pairs, int Images,
    double? Points, double? Lower, double? Upper, string Reading, double? PValue = null, double? AdjustedPValue = null);
