using Microsoft.Extensions.Options;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Api.Runs;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>An evaluation started, or why not: a title, the reason naming what to change, and the HTTP status it answers with.</summary>
public sealed record EvaluationStart(EvaluationView? Evaluation, string? Title = null, string? Problem = null, int Status = StatusCodes.Status202Accepted)
{
    public static EvaluationStart Refused(string title, string problem, int status) => new(null, title, problem, status);
}

/// <summary>
/// The one place that decides whether an evaluation may start, for a user's request and the one-click pipeline alike:
/// valid settings, configured providers, a prepared run, and on Azure OpenAI the deployments every model is asked
/// through (read again from Resource Manager first), all before anything is asked or spent.
/// </summary>
public sealed class EvaluationStarter(RunStore runs, EvaluationWorker worker, EvaluationStore evaluations, IModelProvider provider, IAzureDeploymentCheck azure,
    IOptions<OtherProviders> others, TimeProvider time)
{
    public async Task<EvaluationStart> StartAsync(string runId, EvaluationRequest request, CancellationToken cancellationToken)
    {
        if (EvaluationWorker.Problem(request) is { } problem)
        {
            return EvaluationStart.Refused("Invalid evaluation settings", problem, StatusCodes.Status400BadRequest);
        }

        // A model asked through another provider: that provider must be configured and able to answer, before anything runs.
        if ((request.Models ?? []).Select(m => m.Provider).OfType<string>().Where(p => p.Length > 0).Distinct()
                .Select(others.Value.Problem).FirstOrDefault(p => p is not null) is { } providerProblem)
        {
            return EvaluationStart.Refused("Unknown provider", providerProblem, StatusCodes.Status400BadRequest);
        }

        var run = await runs.GetAsync(runId);
        if (run is null)
        {
            return EvaluationStart.Refused("Run not found", $"There is no run '{runId}'.", StatusCodes.Status404NotFound);
        }

        if (run.Preparation is null)
        {
            return EvaluationStart.Refused("Not prepared", $"Run {runId} is not prepared yet ({run.Prepare.Status.Name()}).", StatusCodes.Status409Conflict);
        }

        // Azure may have removed the deployment since (idle for 15 days, Developer after 24 hours): ask before spending.
        run = await azure.ReconcileAsync(run, cancellationToken);
        if (run.FineTune is { NeedsDeployment: true } fineTune && request.Models is null)
        {
            return EvaluationStart.Refused("Deployment needed", fineTune.DeploymentState is AzureProvisioningStates.Deleted or AzureProvisioningStates.Deleting
                    ? $"The fine-tuned model's deployment {fineTune.DeploymentName} no longer exists on Azure OpenAI ({fineTune.DeploymentState}; Azure deletes fine-tuned deployments idle for 15 days, Developer ones after 24 hours): deploy it again first (POST /api/runs/{runId}/fine-tune/deploy)."
                    : "The fine-tuned model is on Azure OpenAI and is not deployed yet: deploy it and give the deployment name first.",
                StatusCodes.Status409Conflict);
        }

        (request, var undeployed) = await azure.MapToDeploymentsAsync(run, request, cancellationToken);
        if (undeployed is not null)
        {
            return EvaluationStart.Refused("Not deployed", undeployed, StatusCodes.Status409Conflict);
        }

        // The default comparison asks the base model through a deployment of its own family (gpt-4o or gpt-4.1).
        if (provider.Settings.IsAzure && request.Models is null && provider.Settings.Azure.MissingDeployments(batch: false, EvaluationWorker.DefaultModels(run)[0].Model) is { } missing)
        {
            return EvaluationStart.Refused("Deployment names needed", missing, StatusCodes.Status409Conflict);
        }

        // Every deployment it will call (the base model's too) is checked against the tokens a minute it serves.
        var tokensPerMinute = provider.Settings.IsAzure
            ? await azure.TokensPerMinuteAsync(run, worker.Plan(run, request).Models.Where(m => m.Endpoint is null && m.Provider is null).Select(m => m.Model), cancellationToken)
            : null;
        return new EvaluationStart(await worker.StartAsync(run, request, cancellationToken, tokensPerMinute));
    }

    /// <summary>
    /// The one-click pipeline's start: a refusal is recorded as the run's latest evaluation, failed with the reason, so
    /// the run shows why it stopped (and the chain does not try again at every change).
    /// </summary>
    public async Task<EvaluationStart> StartForPipelineAsync(RunView run, EvaluationRequest request, CancellationToken cancellationToken)
    {
        var start = await StartAsync(run.Id, request, cancellationToken);
        if (start.Problem is null || start.Status == StatusCodes.Status404NotFound)
        {
            return start;
        }

        var now = time.GetUtcNow();
        var refused = new EvaluationView(EvaluationWorker.NewId(now), run.Id, now, request, request.Models is { Count: > 0 } named ? named : EvaluationWorker.DefaultModels(run),
            new RunStep(StepStatus.Failed, 0, $"Not started ({start.Title}): {start.Problem}", now, now), false, null);
        await evaluations.SaveAsync(refused);
        await runs.UpdateAsync(run.Id, r => r with { LatestEvaluationId = refused.Id });
        return start with { Evaluation = refused };
    }
}
