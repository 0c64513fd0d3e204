using VqaAspire.Contracts;

namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// What reading a run and starting an evaluation ask of Azure OpenAI's deployments before anything is spent: is the
/// run's deployment still there, and does every model named have a deployment that answers.
/// </summary>
public interface IAzureDeploymentCheck
{
    /// <summary>The run with its deployment's state as Resource Manager reports it now (on a read: at most every check interval).</summary>
    Task<RunView> ReconcileAsync(RunView run, CancellationToken cancellationToken, bool onRead = false);

    /// <summary>The request with the run's fine-tuned model and checkpoints mapped to their deployments, or why one cannot be asked.</summary>
    Task<(EvaluationRequest Request, string? Problem)> MapToDeploymentsAsync(RunView run, EvaluationRequest request, CancellationToken cancellationToken);

    /// <summary>Tokens a minute each named deployment serves (capacity x 1,000): the run's own as it recorded it, others as Resource Manager reports them; ones it cannot read are left out.</summary>
    Task<IReadOnlyDictionary<string, long>> TokensPerMinuteAsync(RunView run, IEnumerable<string> deployments, CancellationToken cancellationToken);
}
