using VqaAspire.Api.Evaluation.Verdicts;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// How a scored evaluation ends. Unanswered questions (404, 500, a timeout) are a deployment's failures, not the
/// evaluation's: when any answer was scored it completes, its message says how many were left unanswered and that a
/// retry asks only those, and the verdict (no winner when a model left more than 2% unanswered) decides the reading.
/// Only an evaluation with no answer to score is failed.
/// </summary>
public static class EvaluationCompletion
{
    /// <summary>Where a retry of the unanswered questions is asked.</summary>
    public static string RetryPath(string evaluationId) => $"/api/evaluations/{evaluationId}/retry";

    /// <summary>The final step of an evaluation whose answers were scored.</summary>
    /// <param name="commonError">The commonest reason a question went unanswered; null when none did.</param>
    public static RunStep Step(string evaluationId, EvaluationSummary summary, string? commonError, DateTimeOffset started, DateTimeOffset finished, string? traceId)
    {
        var answered = summary.Models.Sum(m => m.Answered);
        var unanswered = Unanswered(summary);
        var filtered = summary.Models.Sum(m => m.Filtered);
        var filteredNote = filtered == 0 ? "" : $"; {filtered} refused by the provider's content filter (counted wrong, shown apart)";
        var why = commonError ?? "no answer";
        if (answered == 0 && unanswered > 0)
        {
            return new RunStep(StepStatus.Failed, 1,
                $"No answer to score: all {unanswered} questions could not be answered ({why}){filteredNote}. Retry them once the models answer ({RetryPath(evaluationId)}).",
                started, finished, traceId);
        }

        if (unanswered == 0)
        {
            return new RunStep(StepStatus.Succeeded, 1, $"{answered} answers scored{filteredNote}", started, finished, traceId);
        }

        var whose = string.Join(", ", summary.Models.Where(m => m.Failed > 0).Select(m => $"{m.Name} {m.Failed} of {m.Answered + m.Failed + m.Filtered}"));
        var verdictNote = summary.Verdict?.Outcome == VerdictOutcomes.TooManyUnanswered
            ? $" No winner is named while a model leaves more than {100 * HeadlineVerdict.UnansweredLimit:0}% unanswered."
            : "";
        return new RunStep(StepStatus.Succeeded, 1,
            $"Completed with {unanswered} unanswered ({whose}; {why}): {answered} answers scored{filteredNote}.{verdictNote} "
            + $"Retry the unanswered to ask only those again; the answers in are kept ({RetryPath(evaluationId)}).",
            started, finished, traceId);
    }

    /// <summary>Questions left unanswered over every model, content-filter refusals apart (those are final, never asked again).</summary>
    public static int Unanswered(EvaluationSummary? summary) => summary?.Models.Sum(m => m.Failed) ?? 0;

    /// <summary>Why an evaluation cannot be retried now, or null when it can: it must have finished with questions unanswered.</summary>
    public static string? CannotRetry(EvaluationView evaluation) =>
        evaluation.Step.Status.IsActive() ? $"Evaluation {evaluation.Id} is still {evaluation.Step.Status.Name()}: wait for it to finish."
        : evaluation.Step.Status == StepStatus.Succeeded && Unanswered(evaluation.Summary) == 0 ? $"Evaluation {evaluation.Id} left no question unanswered: there is nothing to retry."
        : null;
}
