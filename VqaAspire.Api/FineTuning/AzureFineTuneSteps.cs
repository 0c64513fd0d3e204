using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Preparation;
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
    FineTuneProviders providers,
    AzureDeploymentClient deployments,
    RunStore runs,
    EvaluationStore evaluations,
    IOptions<AzurePricingOptions> prices,
    TimeProvider time,
    ILogger<AzureFineTuneSteps> logger) : IAzureDeploymentCheck
{
    private AzureProviderOptions Settings => provider.Settings.Azure;

    public bool IsAzure => provider.Settings.IsAzure;

    /// <summary>Azure's steps apply to a fine-tune on the app's Azure provider, not to one a run keeps from another provider.</summary>
    public bool AppliesTo(FineTuneView fineTune) => IsAzure && providers.IsOnAppProvider(fineTune);

    /// <summary>The app deploys fine-tuned models itself: Azure, with the account named.</summary>
    public bool CanDeploy => IsAzure && Settings.CanDeploy;

    /// <summary>
    /// Why the fine-tune cannot start on Azure, before anything is uploaded or spent (base model, suffix, training type,
    /// deployment type, file sizes, the deployments the evaluation needs); null when it can.
    /// </summary>
    public string? StartProblem(RunView run, FineTuneRequest request)
    {
        if (!IsAzure)
        {
            return null;
        }

        var files = run.Preparation?.Splits.Where(s => s.Split == "train" || (s.Split == "validation" && request.UseValidationFile && s.Examples > 0))
            .Select(s => (s.Split, s.Bytes)) ?? [];
        var baseModel = request.BaseModel ?? DatasetPreparer.DefaultBaseModel;
        return AzureRules.Problem(baseModel, request.Suffix, request.TrainingType ?? provider.Settings.AzureTrainingType, SkuOf(request), files)
            // The evaluation after training asks the base model (a deployment of its own family) and the judge through their deployments.
            ?? Settings.MissingDeployments(batch: false, baseModel);
    }

    /// <summary>The deployment type of the run's fine-tune: its own choice, else the setting; in Resource Manager's spelling.</summary>
    public string SkuOf(FineTuneRequest settings)
    {
        var sku = settings.DeploymentSku ?? Settings.DeploymentSku;
        return AzureRules.DeploymentSku(sku) ?? sku;
    }

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
        IsAzure && Settings.CanDeploy && run.FineTune is { Status: "succeeded", FineTunedModel: not null } fineTune && AppliesTo(fineTune)
        && (fineTune.DeploymentState is AzureProvisioningStates.Creating or AzureProvisioningStates.Accepted || (run.FineTuneStep?.Status == StepStatus.Running && fineTune.DeploymentState is null or AzureProvisioningStates.Deleted));

    /// <summary>One step of deploying: creates the deployment, or reads its state. Returns why it failed, or null.</summary>
    public async Task<string?> AdvanceDeploymentAsync(RunView run, CancellationToken cancellationToken)
    {
        var fineTune = run.FineTune!;
        if (fineTune.DeploymentState is null or AzureProvisioningStates.Deleted)
        {
            var name = DeploymentNameFor(run.Id);
            var sku = SkuOf(fineTune.Settings);
            if (AzureRules.IsDeveloperTier(sku) && !AzureRules.AllowsDeveloperTier(fineTune.BaseModel))
            {
                return $"Azure OpenAI deploys only GPT-4.1 models as {AzureRules.DeveloperTierSku}, not {fineTune.BaseModel}: deploy it as GlobalStandard or Standard (deploymentSku).";
            }

            var created = await deployments.CreateAsync(name, fineTune.FineTunedModel!, sku, cancellationToken);
            logger.LogInformation("Run {RunId}: deploying {Model} as {Deployment} ({Sku})", run.Id, fineTune.FineTunedModel, name, sku);
            await RecordAsync(run.Id, name, created.ProvisioningState, $"Trained {fineTune.FineTunedModel}; deploying it as {name} ({created.ProvisioningState})", capacity: created.Capacity);
            return null;
        }

        var status = await deployments.GetAsync(fineTune.DeploymentName!, SkuOf(fineTune.Settings), cancellationToken);
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

            await RecordAsync(run.Id, fineTune.DeploymentName!, status.ProvisioningState, $"Trained {fineTune.FineTunedModel}; deploying it as {fineTune.DeploymentName} ({status.ProvisioningState})",
                capacity: status.Capacity);
            return null;
        }

        var hourly = prices.Value.Hosting(SkuOf(fineTune.Settings));
        await RecordAsync(run.Id, fineTune.DeploymentName!, status.ProvisioningState,
            $"Trained {fineTune.FineTunedModel}; deployed as {fineTune.DeploymentName}{(status.Capacity is { } capacity ? $" ({capacity * 1000:N0} tokens/minute)" : "")}"
            + (hourly is > 0 ? $", billed ${hourly}/hour until deleted" : ""), finished: true, capacity: status.Capacity);
        return null;
    }

    /// <summary>
    /// Reads the run's deployment from Resource Manager again. Azure deletes idle fine-tuned deployments after 15 days
    /// and Developer ones after 24 hours, and a deletion answered 202 finishes later: without this, the run would keep
    /// showing a deployment (and its hourly cost) that no longer exists. Only settled states are read; the monitor
    /// follows a deployment on its way up. Returns the run as it is now; unchanged when Resource Manager cannot say.
    /// </summary>
    public async Task<RunView> ReconcileAsync(RunView run, CancellationToken cancellationToken, bool onRead = false)
    {
        if (onRead && !IsDue(run.Id))
        {
            return run;
        }

        if (!CanDeploy || run.FineTune is not { DeploymentName: { } name, DeploymentState: "Succeeded" or "Deleting" or "Failed" } fineTune
            || run.FineTuneStep?.Status == StepStatus.Running || !AppliesTo(fineTune))
        {
            return run;
        }

        AzureDeploymentStatus? status;
        try
        {
            status = await deployments.GetAsync(name, SkuOf(fineTune.Settings), cancellationToken);
        }
        catch (Exception ex) when (ex is AzureManagementException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Run {RunId}: could not read the deployment {Deployment} ({Reason}); showing its last known state", run.Id, name, ex.GetType().Name);
            return run;
        }

        var state = status?.ProvisioningState ?? "Deleted";
        if (state == fineTune.DeploymentState && (status?.Capacity is null || status.Capacity == fineTune.DeploymentCapacity))
        {
            return run;
        }

        logger.LogInformation("Run {RunId}: the deployment {Deployment} is now {State} (was {Previous})", run.Id, name, state, fineTune.DeploymentState);
        return await runs.UpdateAsync(run.Id, r => r.FineTune is not { } current ? r : r with
        {
            FineTune = current with { DeploymentState = state, NeedsDeployment = state != AzureProvisioningStates.Succeeded, DeploymentCapacity = status?.Capacity ?? current.DeploymentCapacity },
        });
    }

    /// <summary>True while the run waits for its evaluation to end before deleting its deployment; deletes it once it has.</summary>
    public async Task<bool> DeleteAfterEvaluationAsync(RunView run, CancellationToken cancellationToken)
    {
        if (!IsAzure || run.FineTune is not { Settings.DeleteDeploymentAfterEvaluation: true, DeploymentState: "Succeeded", DeploymentName: not null } || !AppliesTo(run.FineTune))
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

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lastChecks = new();

    /// <summary>At most one Resource Manager read per run and <see cref="AzureProviderOptions.DeploymentCheckInterval"/> when runs are read.</summary>
    private bool IsDue(string runId)
    {
        var now = time.GetUtcNow();
        if (_lastChecks.TryGetValue(runId, out var last) && now - last < Settings.DeploymentCheckInterval)
        {
            return false;
        }

        _lastChecks[runId] = now;
        return true;
    }

    /// <summary>
    /// Deletes the run's deployment: its hourly charge stops; the fine-tuned model stays and can be deployed again.
    /// Deleted when Resource Manager says it is gone; Deleting when it accepted the deletion to finish later (202),
    /// until a later read no longer finds it.
    /// </summary>
    public async Task<RunView> DeleteAsync(RunView run, CancellationToken cancellationToken)
    {
        var gone = await deployments.DeleteAsync(run.FineTune!.DeploymentName!, SkuOf(run.FineTune.Settings), cancellationToken);
        return await runs.UpdateAsync(run.Id, r => r with { FineTune = r.FineTune! with { DeploymentState = gone ? "Deleted" : "Deleting", NeedsDeployment = true } });
    }

    private Task<RunView> RecordAsync(string runId, string name, string state, string? message, bool finished = false, int? capacity = null) =>
        runs.UpdateAsync(runId, r => r with
        {
            FineTune = r.FineTune! with
            {
                DeploymentName = name,
                DeploymentState = state,
                DeploymentSku = SkuOf(r.FineTune.Settings),
                HostingUsdPerHour = prices.Value.Hosting(SkuOf(r.FineTune.Settings)),
                NeedsDeployment = state != AzureProvisioningStates.Succeeded,
                DeploymentCapacity = capacity ?? r.FineTune.DeploymentCapacity,
            },
            FineTuneStep = r.FineTuneStep is not { Status: StepStatus.Running } step || message is null ? r.FineTuneStep
                : finished ? step with { Status = StepStatus.Succeeded, Progress = 1, Message = message, FinishedAt = time.GetUtcNow() }
                : step with { Message = message },
        });

    /// <summary>
    /// Azure answers a fine-tuned model or a checkpoint only through a deployment of it (fine-tuning-deploy: a checkpoint
    /// deploys by its id). Models the evaluation names by a model id of the run's job are asked through their deployment
    /// when it has succeeded; otherwise the problem says which deployment is missing and how to make it, before anything is spent.
    /// </summary>
    public async Task<(EvaluationRequest Request, string? Problem)> MapToDeploymentsAsync(RunView run, EvaluationRequest request, CancellationToken cancellationToken)
    {
        if (!IsAzure || request.Models is not { Count: > 0 } models || run.FineTune is not { FineTunedModel: { } final } fineTune || !AppliesTo(fineTune))
        {
            return (request, null);
        }

        var mapped = new List<EvaluationModel>();
        foreach (var model in models)
        {
            var checkpoint = model.Endpoint is null && model.Model != final ? fineTune.Checkpoints.FirstOrDefault(c => c.Model == model.Model) : null;
            if (model.Endpoint is null && model.Model == final)
            {
                if (fineTune is not { DeploymentName: { } deployment, DeploymentState: "Succeeded" or null })
                {
                    return (request, $"models: {final} answers on Azure OpenAI only through a deployment, and run {run.Id} has none that is ready ({fineTune.DeploymentState ?? "none"}): deploy it first (POST /api/runs/{run.Id}/fine-tune/deploy).");
                }

                mapped.Add(model with { Model = deployment });
                continue;
            }

            if (checkpoint is null)
            {
                mapped.Add(model);
                continue;
            }

            var name = CheckpointDeploymentNameFor(run.Id, checkpoint.Step);
            var status = CanDeploy ? await deployments.GetAsync(name, SkuOf(fineTune.Settings), cancellationToken) : null;
            if (status is not { IsReady: true })
            {
                return (request, $"models: {model.Model} is the checkpoint at step {checkpoint.Step}; Azure OpenAI answers a checkpoint only through a deployment of it, and "
                    + (status is null ? "there is none" : $"its deployment {name} is {status.ProvisioningState}") + ". "
                    + (CanDeploy ? $"Deploy it (POST /api/runs/{run.Id}/fine-tune/checkpoints/{checkpoint.Step}/deploy; billed by the hour until deleted), then start the evaluation again."
                        : "Deploy it by hand (its id is " + checkpoint.Id + ") and name that deployment in models."));
            }

            mapped.Add(model with { Model = name });
        }

        return (request with { Models = mapped }, null);
    }

    public async Task<IReadOnlyDictionary<string, long>> TokensPerMinuteAsync(RunView run, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in names.Distinct())
        {
            if (run.FineTune is { DeploymentName: { } own, DeploymentTokensPerMinute: { } recorded } fineTune && own == name && AppliesTo(fineTune))
            {
                found[name] = recorded;
                continue;
            }

            if (!CanDeploy)
            {
                continue;
            }

            try
            {
                // The SKU only chooses the api-version here; the app's setting reads any deployment of the account.
                if (await deployments.GetAsync(name, Settings.DeploymentSku, cancellationToken) is { Capacity: { } capacity })
                {
                    found[name] = capacity * 1000L;
                }
            }
            catch (Exception ex) when (ex is AzureManagementException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The warning is advice: a deployment Resource Manager cannot describe now is simply not warned about.
                logger.LogInformation("Could not read the capacity of the deployment {Deployment} ({Reason})", name, ex.GetType().Name);
            }
        }

        return found;
    }

    /// <summary>Deploys a checkpoint of the run's job by its id (fine-tuning-deploy), as the run's fine-tune would be deployed.</summary>
    public async Task<(AzureDeploymentStatus? Deployment, string? Problem, int Status)> DeployCheckpointAsync(RunView run, int step, CancellationToken cancellationToken)
    {
        if (run.FineTune?.Checkpoints.FirstOrDefault(c => c.Step == step) is not { } checkpoint)
        {
            return (null, $"Run {run.Id} has no checkpoint at step {step}.", StatusCodes.Status404NotFound);
        }

        if (!CanDeploy)
        {
            return (null, "The app deploys to Azure OpenAI only: set Provider:Azure:SubscriptionId, ResourceGroup and Account.", StatusCodes.Status409Conflict);
        }

        var sku = SkuOf(run.FineTune.Settings);
        if (AzureRules.IsDeveloperTier(sku) && !AzureRules.AllowsDeveloperTier(run.FineTune.BaseModel))
        {
            return (null, $"Azure OpenAI deploys only GPT-4.1 models as {AzureRules.DeveloperTierSku}, not {run.FineTune.BaseModel}.", StatusCodes.Status409Conflict);
        }

        var name = CheckpointDeploymentNameFor(run.Id, step);
        var deployment = await deployments.CreateAsync(name, checkpoint.Id, sku, cancellationToken);
        logger.LogInformation("Run {RunId}: deploying checkpoint {Checkpoint} (step {Step}) as {Deployment} ({Sku})", run.Id, checkpoint.Id, step, name, sku);
        return (deployment with { Name = name }, null, StatusCodes.Status202Accepted);
    }

    /// <summary>Deletes the deployment of a checkpoint; its hourly charge stops.</summary>
    public async Task<bool> DeleteCheckpointDeploymentAsync(RunView run, int step, CancellationToken cancellationToken) =>
        CanDeploy && await deployments.DeleteAsync(CheckpointDeploymentNameFor(run.Id, step), SkuOf(run.FineTune?.Settings ?? new FineTuneRequest()), cancellationToken);

    /// <summary>The deployment of the checkpoint at a step: the run's deployment name with the step.</summary>
    public static string CheckpointDeploymentNameFor(string runId, int step)
    {
        var suffix = $"-step-{step}";
        var name = DeploymentNameFor(runId);
        return (name.Length + suffix.Length <= 64 ? name : name[..(64 - suffix.Length)]) + suffix;
    }

    /// <summary>One deployment per run, named after it: letters, digits, '-', '_' and '.', at most 64 characters.</summary>
    public static string DeploymentNameFor(string runId)
    {
        var name = "vqa-" + UnsafeCharacters().Replace(runId, "-");
        return name.Length <= 64 ? name : name[..64];
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex UnsafeCharacters();
}
