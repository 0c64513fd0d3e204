namespace VqaAspire.Api.Evaluation;

/// <summary>A proportion with its 95% interval.</summary>
public sealed record Proportion(int Successes, int Total, double Value, double Lower, double Upper);
