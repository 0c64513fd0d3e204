namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// A mean with its 95% cluster-bootstrap percentile interval and the bootstrap's standard error. Value, bounds and
/// error are null when there are no examples.
/// </summary>
/// <param name="Count">Examples.</param>
/// <param name="Clusters">Clusters (images) they came from.</param>
public sealed record BootstrapEstimate(int Count, int Clusters, double? Value, double? Lower, double? Upper, double? StandardError);
