using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Evaluation;

/// <summary>Evaluations waiting to run, by id. Bounded: a flood of requests waits instead of exhausting memory.</summary>
public sealed class EvaluationQueue() : WorkQueue<string>(capacity: 256);
