using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Api.Runs;
using VqaAspire.Contracts;

namespace VqaAspire.Api.FineTuning;

/// <summary>What a user does to an Azure OpenAI fine-tune from the dashboard: pause, resume, deploy again, delete the deployment.</summary>
public sealed class AzureFineTuneActions(IModelProvider provider, RunStore runs, FineTuneStore store, AzureFineTuneSteps azure, FineTuneViews views)
{
    /// <summary>Azure OpenAI: pauses (or resumes) the run's job.</summary>
    public async Task<(RunView? Run, string? Problem, int Status)> PauseAsync(string runId, bool pause, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId);
        if (run?.FineTune?.JobId is not { } jobId)
        {
            return (run, run is null ? $"There is no run '{runId}'." : $"Run {runId} has no fine-tuning job yet.", run is null ? 404 : 409);
        }

        if (!azure.AppliesTo(run.FineTune))
        {
            return (run, $"Only Azure OpenAI can {(pause ? "pause" : "resume")} a job; this fine-tune is on {run.FineTune.Provider ?? run.FineTune.ProviderKind ?? provider.Settings.Kind}.", 409);
        }

        var job = pause ? await provider.PauseFineTuneJobAsync(jobId, cancellationToken) : await provider.ResumeFineTuneJobAsync(jobId, cancellationToken);
        var updated = await runs.UpdateAsync(runId, r => r with
        {
            FineTune = views.ToView(job, r.FineTune!.Settings, r.FineTune),
            FineTuneStep = r.FineTuneStep! with { Message = $"Job {job.Id}: {job.Status}" },
        });
        return (updated, null, 200);
    }

    /// <summary>Azure OpenAI: deploys the run's fine-tuned model again (after a deletion) and follows it to Succeeded.</summary>
    private async Task<(RunView? Run, string? Problem, int Status)> RedeployAsync(RunView run, CancellationToken cancellationToken)
    {
        // Deployed again by hand, it stays until deleted by hand: the pipeline's "delete after the evaluation" had its turn.
        run = await runs.UpdateAsync(run.Id, r => r with { FineTune = r.FineTune! with { Settings = r.FineTune.Settings with { DeleteDeploymentAfterEvaluation = false } } });
        if (await azure.AdvanceDeploymentAsync(run, cancellationToken) is { } problem)
        {
            return (run, problem, 502);
        }

        await store.FollowAsync(run.Id);
        return (await runs.GetAsync(run.Id), null, 200);
    }

    /// <summary>Deletes the run's deployment (its hourly charge stops); the fine-tuned model stays.</summary>
    public async Task<(RunView? Run, string? Problem, int Status)> DeleteDeploymentAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId);
        if (run is not null)
        {
            run = await azure.ReconcileAsync(run, cancellationToken);
        }

        if (run?.FineTune is not { DeploymentName: not null, DeploymentState: not (null or "Deleted" or "Deleting") })
        {
            return (run, run is null ? $"There is no run '{runId}'."
                : run.FineTune?.DeploymentState == "Deleting" ? $"Run {runId}'s deployment {run.FineTune.DeploymentName} is being deleted already."
                : $"Run {runId} has no deployment made by the app to delete.", run is null ? 404 : 409);
        }

        try
        {
            return (await azure.DeleteAsync(run, cancellationToken), null, 200);
        }
        catch (AzureManagementException ex)
        {
            return (run, ex.Message, StatusCodes.Status502BadGateway);
        }
    }

    /// <summary>Deploys the run's fine-tuned model again after its deployment was deleted.</summary>
    public async Task<(RunView? Run, string? Problem, int Status)> DeployAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId);
        if (run is not null)
        {
            // Azure may have deleted it since (idle for 15 days, Developer after 24 hours): then it can be deployed again.
            run = await azure.ReconcileAsync(run, cancellationToken);
        }

        if (run?.FineTune is not { FineTunedModel: not null, Status: "succeeded" })
        {
            return (run, run is null ? $"There is no run '{runId}'." : $"Run {runId} has no fine-tuned model to deploy.", run is null ? 404 : 409);
        }

        if (!azure.AppliesTo(run.FineTune))
        {
            return (run, $"Run {runId}'s fine-tune is on {run.FineTune.Provider ?? run.FineTune.ProviderKind}, which serves it without a deployment.", 409);
        }

        if (!azure.CanDeploy)
        {
            return (run, "The app deploys to Azure OpenAI only: set Provider:Azure:SubscriptionId, ResourceGroup and Account.", 409);
        }

        if (run.FineTune.DeploymentState is not (null or "Deleted"))
        {
            return (run, run.FineTune.DeploymentState == "Deleting"
                ? $"Run {runId}'s deployment {run.FineTune.DeploymentName} is being deleted; deploy again once it is gone."
                : $"Run {runId} is deployed already as {run.FineTune.DeploymentName} ({run.FineTune.DeploymentState}).", 409);
        }

        try
        {
            return await RedeployAsync(run, cancellationToken);
        }
        catch (AzureManagementException ex)
        {
            return (run, ex.Message, StatusCodes.Status502BadGateway);
        }
    }
}
