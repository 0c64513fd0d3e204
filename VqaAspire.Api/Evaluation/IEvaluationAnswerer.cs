using VqaAspire.Api.Providers;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>One way of asking a model the test questions it has not answered yet: request by request, or by the Batch API.</summary>
public interface IEvaluationAnswerer
{
    /// <summary>
    /// Asks <paramref name="model"/> the test lines in <paramref name="pending"/> and records every answer (or its error)
    /// in the session's answers file; <paramref name="answered"/> is called after each answer recorded one at a time.
    /// </summary>
    Task AnswerAsync(EvaluationSession session, EvaluationModel model, IModelProvider client, IReadOnlySet<int> pending, Action answered,
        CancellationToken cancellationToken);
}
