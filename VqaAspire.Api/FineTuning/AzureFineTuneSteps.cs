using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Api.Runs;
using VqaAspire.Contracts;

namespace VqaAspire.Api.FineTuning;

/// <summary>
/// What a fine-tune needs on Azure OpenAI beyond OpenAI's steps: the uploaded files must be processed before the job
/// is created, and a succeeded fine-tune must be deployed (through Resource Manager) before it answers. The
/// deployment is billed by the hour until deleted, from a button or, when the run asked, after its evaluation.
/// </summary>
public sealed partial class AzureFineTuneSteps(
    IModelProvider provider,
    AzureDeploymentClient deployments,
    RunStore runs,
    EvaluationStore evaluations,
    IOptions<AzurePricingOptions> prices,
    TimeProvider time,
    ILogger<AzureFineTuneSteps> logger)
{
    private AzureProviderOptions Settings => provider.Settings.Azure;

    public bool IsAzure => provider.Settings.IsAzure;

    /// <summary>The app deploys fine-tuned models itself: Azure, with the account named.</summary>
    public bool CanDeploy => IsAzure && Settings.CanDeploy;

    /// <summary>Why the fine-tune cannot start on Azure, before anything is uploaded or spent; null when it can.</summary>
    public string? StartProblem(FineTuneRequest request) =>
        !IsAzure ? null
        : request.Suffix is { Length: > AzureProviderOptions.MaxSuffixLength } ? $"suffix must be at most {AzureProviderOptions.MaxSuffixLength} characters on Azure OpenAI."
        : request.TrainingType is { } type && !AzureProviderOptions.TrainingTypes.Contains(type, StringComparer.OrdinalIgnoreCase)
            ? $"trainingType '{type}' is not one of {string.Join(", ", AzureProviderOptions.TrainingTypes)}."
        // The evaluation after training asks the base model and the judge through their deployments.
        : Settings.MissingDeployments(batch: false);

    /// <summary>The upload step's last part on Azure: waits until every uploaded file is processed. Returns why it failed, or null.</summary>
    public async Task<string?> WaitForFilesAsync(RunView run, CancellationToken cancellationToken)
    {
        var statuses = new List<string>();
        foreach (var fileId in run.FineTune!.TrainingFiles)
        {
            var file = await provider.FindFileAsync(fileId, cancellationToken);
            if (file is null || file.Status is "error" or "deleted" or "deleting")
            {
                return $"Azure OpenAI did not accept the file {fileId} ({file?.Status ?? "deleted"}{(file?.StatusDetails is { } details ? $": {details}" : "")}).";
            }

            statuses.Add($"{fileId} {file.Status ?? "processed"}");
        }

        if (statuses.All(s => s.EndsWith(" processed", StringComparison.Ordinal)))
        {
            await runs.UpdateAsync(run.Id, r => r with
            {
                Upload = r.Upload! with { Status = StepStatus.Succeeded, Progress = 1, Message = $"{statuses.Count} file(s) processed by Azure OpenAI", FinishedAt = time.GetUtcNow() },
                FineTuneStep = r.FineTuneStep! with { Message = "Creating the job" },
            });
            return null;
        }

        var waited = time.GetUtcNow() - (run.Upload?.StartedAt ?? time.GetUtcNow());
        if (waited > Settings.FileProcessingTimeout)
        {
            return $"Azure OpenAI did not finish processing the files within {Settings.FileProcessingTimeout} ({string.Join(", ", statuses)}).";
        }

        await runs.UpdateAsync(run.Id, r => r with { Upload = r.Upload! with { Message = $"Waiting for Azure OpenAI to process the files: {string.Join(", ", statuses)}" } });
        return null;
    }

    /// <summary>A succeeded fine-tune the app should deploy, or a deployment on its way to Succeeded.</summary>
    public bool HasDeploymentWork(RunView run) =>
        IsAzure && Settings.CanDeploy && run.FineTune is { Status: "succeeded", FineTunedModel: not null } fineTune
        && (fineTune.DeploymentState is "Creating" or "Accepted" || (run.FineTuneStep?.Status == StepStatus.Running && fineTune.DeploymentState is null or "Deleted"));

    /// <summary>One step of deploying: creates the deployment, or reads its state. Returns why it failed, or null.</summary>
    public async Task<string?> AdvanceDeploymentAsync(RunView run, CancellationToken cancellationToken)
    {
        var fineTune = run.FineTune!;
        if (fineTune.DeploymentState is null or "Deleted")
        {
            var name = DeploymentNameFor(run.Id);
            var created = await deployments.CreateAsync(name, fineTune.FineTunedModel!, cancellationToken);
            logger.LogInformation("Run {RunId}: deploying {Model} as {Deployment} ({Sku})", run.Id, fineTune.FineTunedModel, name, Settings.DeploymentSku);
            await RecordAsync(run.Id, name, created.ProvisioningState, $"Trained {fineTune.FineTunedModel}; deploying it as {name} ({created.ProvisioningState})");
            return null;
        }

        var status = await deployments.GetAsync(fineTune.DeploymentName!, cancellationToken);
        if (status is null || status.HasFailed)
        {
            await RecordAsync(run.Id, fineTune.DeploymentName!, status?.ProvisioningState ?? "Deleted", null);
            return $"The deployment {fineTune.DeploymentName} of {fineTune.FineTunedModel} {(status is null ? "disappeared" : "failed")} while provisioning.";
        }

        if (!status.IsReady)
        {
            // The first deployment has a time limit from the end of training; a redeployment waits as long as it takes.
            if (run.FineTuneStep?.Status == StepStatus.Running && time.GetUtcNow() - (fineTune.FinishedAt ?? time.GetUtcNow()) > Settings.DeploymentTimeout)
            {
                return $"The deployment {fineTune.DeploymentName} did not reach Succeeded in time ({status.ProvisioningState}).";
            }

            await RecordAsync(run.Id, fineTune.DeploymentName!, status.ProvisioningState, $"Trained {fineTune.FineTunedModel}; deploying it as {fineTune.DeploymentName} ({status.ProvisioningState})");
            return null;
        }

        var hourly = prices.Value.Hosting(Settings.DeploymentSku);
        await RecordAsync(run.Id, fineTune.DeploymentName!, status.ProvisioningState,
            $"Trained {fineTune.FineTunedModel}; deployed as {fineTune.DeploymentName}{(hourly is > 0 ? $", billed ${hourly}/hour until deleted" : "")}", finished: true);
        return null;
    }

    /// <summary>True while the run waits for its evaluation to end before deleting its deployment; deletes it once it has.</summary>
    public async Task<bool> DeleteAfterEvaluationAsync(RunView run, CancellationToken cancellationToken)
    {
        if (!IsAzure || run.FineTune is not { Settings.DeleteDeploymentAfterEvaluation: true, DeploymentState: "Succeeded", DeploymentName: not null })
        {
            return false;
        }

        if (run.LatestEvaluationId is null || await evaluations.GetAsync(run.LatestEvaluationId) is not { Step.Status: StepStatus.Succeeded or StepStatus.Failed })
        {
            return true;
        }

        await DeleteAsync(run, cancellationToken);
        return false;
    }

    /// <summary>Deletes the run's deployment: its hourly charge stops; the fine-tuned model stays and can be deployed again.</summary>
    public async Task<RunView> DeleteAsync(RunView run, CancellationToken cancellationToken)
    {
        await deployments.DeleteAsync(run.FineTune!.DeploymentName!, cancellationToken);
        return await runs.UpdateAsync(run.Id, r => r with { FineTune = r.FineTune! with { DeploymentState = "Deleted", NeedsDeployment = true } });
    }

    private Task<RunView> RecordAsync(string runId, string name, string state, string? message, bool finished = false) =>
        runs.UpdateAsync(runId, r => r with
        {
            FineTune = r.FineTune! with
            {
                DeploymentName = name,
                DeploymentState = state,
                DeploymentSku = Settings.DeploymentSku,
                HostingUsdPerHour = prices.Value.Hosting(Settings.DeploymentSku),
                NeedsDeployment = state != "Succeeded",
            },
            FineTuneStep = r.FineTuneStep is not { Status: StepStatus.Running } step || message is null ? r.FineTuneStep
                : finished ? step with { Status = StepStatus.Succeeded, Progress = 1, Message = message, FinishedAt = time.GetUtcNow() }
                : step with { Message = message },
        });

    /// <summary>One deployment per run, named after it: letters, digits, '-', '_' and '.', at most 64 characters.</summary>
    public static string DeploymentNameFor(string runId)
    {
        var name = "vqa-" + UnsafeCharacters().Replace(runId, "-");
        return name.Length <= 64 ? name : name[..64];
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex UnsafeCharacters();
}
