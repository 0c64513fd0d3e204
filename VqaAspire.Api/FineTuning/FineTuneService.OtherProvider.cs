using VqaAspire.Api.Preparation;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.FineTuning;

/// <summary>Queuing a fine-tune, and running it again on another provider while the run keeps the earlier one.</summary>
public sealed partial class FineTuneService
{
    /// <summary>
    /// Runs the run's fine-tune again on another provider (OpenAI takes no new fine-tuning jobs from 2027-01-06): the same
    /// prepared, validated files are uploaded there and a new job is created, with Azure's pre-flight checks made before
    /// anything is spent. The run's current fine-tune is kept among its earlier ones, with its events and metrics.
    /// </summary>
    public async Task<(RunView? Run, string? Problem, int Status)> StartOnProviderAsync(string runId, FineTuneOnProviderRequest request)
    {
        var (name, kind, providerProblem) = providers.Resolve(request.Provider);
        if (providerProblem is not null)
        {
            return (null, providerProblem, StatusCodes.Status400BadRequest);
        }

        var run = await runs.GetAsync(runId);
        if (run is null)
        {
            return (null, $"There is no run '{runId}'.", StatusCodes.Status404NotFound);
        }

        if (run.Preparation is null)
        {
            return (run, $"Run {runId} is not prepared yet ({run.Prepare.Status.Name()}).", StatusCodes.Status409Conflict);
        }

        var current = run.FineTune is null ? null : providers.Kept(run.FineTune);
        if (current is not null && run.FineTuneStep?.Status is not (StepStatus.Succeeded or StepStatus.Failed or StepStatus.Cancelled))
        {
            return (run, $"Run {runId}'s fine-tune on {current.Provider ?? current.ProviderKind} is still {run.FineTuneStep?.Status.Name() ?? current.Status}: wait for it to end, or cancel it, before running it again elsewhere.", StatusCodes.Status409Conflict);
        }

        if (current is not null && current.Provider == name && (current.ProviderKind ?? kind) == kind)
        {
            return (run, $"provider '{request.Provider}': run {runId} was fine-tuned there already ({current.JobId ?? "no job"}, {current.Status}); choose another provider.", StatusCodes.Status400BadRequest);
        }

        // The same settings by default; Azure's own choices (training and deployment type) do not carry to another provider.
        var settings = request.Settings ?? (current is null ? new FineTuneRequest() : current.Settings with { TrainingType = null, DeploymentSku = null });
        if (FineTuneRequestRules.Check(settings, "settings.").FirstOrDefault() is { } invalid)
        {
            return (run, $"{invalid.Field}: {invalid.Message}", StatusCodes.Status400BadRequest);
        }

        if (name is null && azure.StartProblem(run, settings) is { } azureProblem)
        {
            return (run, azureProblem, StatusCodes.Status400BadRequest);
        }

        var train = run.Preparation.Splits.First(s => s.Split == "train");
        if (!train.Validation.IsValid)
        {
            return (run, $"The training file fails pre-flight validation ({train.Validation.ErrorCount} line errors): fix the data before spending.", StatusCodes.Status409Conflict);
        }

        logger.LogInformation("Run {RunId}: fine-tuning again on {Provider}, keeping the fine-tune {JobId}", runId, name ?? kind, current?.JobId);
        return (await BeginAsync(runId, settings, name, kind, current), null, StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Queues a new fine-tune of the run on a provider (null name: the app's), keeping the current one, if any, among
    /// the run's earlier fine-tunes, with its events and metrics.
    /// </summary>
    private async Task<RunView> BeginAsync(string runId, FineTuneRequest request, string? providerName, string providerKind, FineTuneView? kept)
    {
        var model = request.BaseModel ?? DatasetPreparer.DefaultBaseModel;
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.finetune");
        span?.SetTag(PipelineTelemetry.RunIdTag, runId);
        span?.SetTag("vqa.base_model", model);
        span?.SetTag("vqa.provider", providerName ?? providerKind);
        var traceId = span?.TraceId.ToString();
        if (kept?.JobId is { } keptJob)
        {
            await store.KeepAsync(runId, keptJob);
        }

        var updated = await runs.UpdateAsync(runId, r => r with
        {
            Upload = new RunStep(StepStatus.Queued, TraceId: traceId),
            FineTuneStep = new RunStep(StepStatus.Queued, Message: providerName is null ? "Waiting for the upload" : $"Waiting for the upload to {providerName}", TraceId: traceId),
            FineTune = new FineTuneView(null, model, "not_created", null, [], null, null, null, null, null, null, [], false, null, request, ProviderKind: providerKind, Provider: providerName),
            EarlierFineTunes = kept is null ? r.EarlierFineTunes : [.. r.EarlierFineTunes ?? [], kept],
        });
        await store.FollowAsync(runId);
        return updated;
    }
}
