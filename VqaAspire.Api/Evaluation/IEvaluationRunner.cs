using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>What the evaluation worker runs for one evaluation: answers, scores, and the summary.</summary>
public interface IEvaluationRunner
{
    Task<EvaluationOutcome> RunAsync(EvaluationView evaluation, IProgress<EvaluationProgress> progress, CancellationToken cancellationToken);
}
