namespace VqaAspire.Api.Evaluation;

/// <summary>Where an evaluation stands.</summary>
public readonly record struct EvaluationProgress(int Done, int Total, string Message);
