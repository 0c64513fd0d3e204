using VqaAspire.Contracts;

namespace VqaAspire.Api.Pipeline;

/// <summary>
/// The step transitions of a continued run (<see cref="PrepareRequest.Continue"/>), read from the run alone: a fine-tune
/// once preparation succeeded, an evaluation once the fine-tune succeeded (or right after preparation when no fine-tune
/// was asked for). A step already started is never chosen again.
/// </summary>
public static class PipelineTransitions
{
    public static PipelineStep Next(RunView run)
    {
        if (run.Settings.Continue is not { } next)
        {
            return PipelineStep.None;
        }

        if (next.FineTune is not null && run.Prepare.Status == StepStatus.Succeeded && run.FineTune is null && run.FineTuneStep is null)
        {
            return PipelineStep.FineTune;
        }

        return next.Evaluate is not null && run.LatestEvaluationId is null
            && (run.FineTuneStep?.Status == StepStatus.Succeeded || (next.FineTune is null && run.Prepare.Status == StepStatus.Succeeded))
            ? PipelineStep.Evaluate
            : PipelineStep.None;
    }
}
