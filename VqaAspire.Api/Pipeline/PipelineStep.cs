namespace VqaAspire.Api.Pipeline;

/// <summary>What the conductor starts next for a run that asked to be continued.</summary>
public enum PipelineStep
{
    /// <summary>Nothing: the run did not ask, its last step is not done, or it already went on.</summary>
    None,
    FineTune,
    Evaluate,
}
