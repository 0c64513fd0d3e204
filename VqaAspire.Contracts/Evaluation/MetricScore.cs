namespace VqaAspire.Contracts;

/// <summary>A dataset metric's mean over examples (0 to 1) with its 95% interval from resampling images.</summary>
/// <param name="Name">The metric, e.g. "VQA accuracy", "ANLS", "Exact match".</param>
/// <param name="Examples">Examples averaged, unanswered ones included as 0.</param>
/// <param name="Images">Images those examples came from (the clusters of the interval).</param>
public sealed record MetricScore(string Name, int Examples, int Images, double Value, double Lower, double Upper);
