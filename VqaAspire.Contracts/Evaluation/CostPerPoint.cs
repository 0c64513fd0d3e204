namespace VqaAspire.Contracts;

/// <summary>
/// What each point gained cost: the fine-tune's training (trained tokens at the training price) plus the evaluation's
/// answers, over the headline's gain on the dataset's metric, with the interval that the gain's interval gives.
/// </summary>
/// <param name="Metric">The dataset's metric the points are in.</param>
/// <param name="TrainingUsd">Trained tokens times the training price; null when unknown.</param>
/// <param name="EvaluationUsd">The evaluation's answers at the price tables (judge calls not included); null when a model has no price.</param>
/// <param name="PointsGained">The headline: fine-tuned minus base, in points.</param>
/// <param name="UsdPerPoint">Total over points gained; null when nothing was gained or a cost is unknown.</param>
/// <param name="UsdPerPointLow">Total over the gain's upper bound.</param>
/// <param name="UsdPerPointHigh">Total over the gain's lower bound; null when that bound is not above 0 (no upper limit on the cost per point).</param>
/// <param name="HostingUsdPerHour">Azure: what the fine-tuned deployment costs per hour while it exists.</param>
public sealed record CostPerPoint(
    string Metric,
    decimal? TrainingUsd,
    decimal? EvaluationUsd,
    decimal? TotalUsd,
    double? PointsGained,
    double? PointsLower,
    double? PointsUpper,
    decimal? UsdPerPoint,
    decimal? UsdPerPointLow,
    decimal? UsdPerPointHigh,
    decimal? HostingUsdPerHour,
    string Reading);
