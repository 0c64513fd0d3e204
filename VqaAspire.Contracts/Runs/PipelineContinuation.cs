namespace VqaAspire.Contracts;

/// <summary>What a run does by itself once a step succeeds: fine-tune after preparing, then evaluate after fine-tuning.</summary>
/// <param name="FineTune">Start a fine-tune with these settings once preparation succeeds; null stops there.</param>
/// <param name="Evaluate">Start an evaluation with these settings once the fine-tune succeeds; null stops there.</param>
public sealed record PipelineContinuation(FineTuneRequest? FineTune = null, EvaluationRequest? Evaluate = null);
