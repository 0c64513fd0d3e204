using VqaAspire.Api.Pipeline;
using VqaAspire.Contracts;

namespace VqaAspire.Tests.Pipeline;

/// <summary>The one-click pipeline goes on to the right step, once, from a run's state alone.</summary>
[Trait("Category", "Unit")]
public sealed class PipelineTransitionsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly PipelineContinuation Both = new(new FineTuneRequest(), new EvaluationRequest());

    [Fact]
    public void ARunThatDidNotAskToContinueStopsAfterPreparing() =>
        Assert.Equal(PipelineStep.None, PipelineTransitions.Next(Run(null, StepStatus.Succeeded)));

    [Fact]
    public void APreparedRunGoesOnToItsFineTuneOnce()
    {
        Assert.Equal(PipelineStep.None, PipelineTransitions.Next(Run(Both, StepStatus.Running)));
        Assert.Equal(PipelineStep.FineTune, PipelineTransitions.Next(Run(Both, StepStatus.Succeeded)));
        Assert.Equal(PipelineStep.None, PipelineTransitions.Next(Run(Both, StepStatus.Succeeded) with { FineTuneStep = new RunStep(StepStatus.Running) }));
    }

    [Fact]
    public void AnEvaluationFollowsASucceededFineTuneOnce()
    {
        var fineTuned = Run(Both, StepStatus.Succeeded) with { FineTuneStep = new RunStep(StepStatus.Succeeded) };

        Assert.Equal(PipelineStep.Evaluate, PipelineTransitions.Next(fineTuned));
        Assert.Equal(PipelineStep.None, PipelineTransitions.Next(fineTuned with { FineTuneStep = new RunStep(StepStatus.Failed) }));
        Assert.Equal(PipelineStep.None, PipelineTransitions.Next(fineTuned with { LatestEvaluationId = "eval_1" }));
    }

    [Fact]
    public void WithoutAFineTuneTheEvaluationFollowsPreparation() =>
        Assert.Equal(PipelineStep.Evaluate, PipelineTransitions.Next(Run(new PipelineContinuation(Evaluate: new EvaluationRequest()), StepStatus.Succeeded)));

    private static RunView Run(PipelineContinuation? next, StepStatus prepareStatus) =>
        new("run_1", "sample", At, new PrepareRequest("sample", Continue: next), new RunStep(prepareStatus), null);
}
