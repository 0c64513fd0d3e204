using System.ClientModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.FineTuning;

/// <summary>
/// A run's fine-tune, step by step: upload the prepared files (once per content), create the job (once per run),
/// follow it to the end. Every step reads its state from the run, so an api restarted mid-job carries on.
/// </summary>
public sealed partial class FineTuneService(
    IModelProvider provider,
    FineTuneProviders providers,
    RunStore runs,
    FineTuneStore store,
    WorkspaceStorage workspace,
    FineTuneViews views,
    AzureFineTuneSteps azure,
    TimeProvider time,
    ILogger<FineTuneService> logger)
{
    public const string RunIdMetadataKey = "vqa_run_id";

    /// <summary>Which of the run's fine-tunes a job is (2 and on after reruns on other providers): with the run id, finds the job a stopped api created.</summary>
    public const string AttemptMetadataKey = "vqa_fine_tune";

    /// <summary>Why the settings cannot work (OpenAI's ranges), or null: the rules the web's forms check too.</summary>
    public static string? Problem(FineTuneRequest request) => FineTuneRequestRules.Problem(request);

    /// <summary>Marks the run for fine-tuning; the monitor does the work. Returns a problem when the run is not ready.</summary>
    public async Task<(RunView? Run, string? Problem, int Status)> StartAsync(string runId, FineTuneRequest request)
    {
        var run = await runs.GetAsync(runId);
        if (run is null)
        {
            return (null, $"There is no run '{runId}'.", StatusCodes.Status404NotFound);
        }

        if (run.Preparation is null)
        {
            return (run, $"Run {runId} is not prepared yet ({run.Prepare.Status.Name()}).", StatusCodes.Status409Conflict);
        }

        if (azure.StartProblem(run, request) is { } azureProblem)
        {
            return (run, azureProblem, StatusCodes.Status400BadRequest);
        }

        if (run.FineTune is not null)
        {
            return (run, $"Run {runId} already has a fine-tune ({run.FineTune.Status}); one run holds one fine-tune per provider: run it again on another with POST /api/runs/{runId}/fine-tunes.", StatusCodes.Status409Conflict);
        }

        var train = run.Preparation.Splits.First(s => s.Split == "train");
        if (!train.Validation.IsValid)
        {
            return (run, $"The training file fails pre-flight validation ({train.Validation.ErrorCount} line errors; {string.Join(" ", train.Validation.FileErrors)}): fix the data before spending.", StatusCodes.Status409Conflict);
        }

        return (await BeginAsync(runId, request, null, providers.AppKind, kept: null), null, StatusCodes.Status202Accepted);
    }

    /// <summary>Follows a job that exists already (created outside the app, or before a restart).</summary>
    public async Task<(RunView? Run, string? Problem, int Status)> AttachAsync(string runId, string jobId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId);
        if (run is null)
        {
            return (null, $"There is no run '{runId}'.", StatusCodes.Status404NotFound);
        }

        ProviderJob job;
        try
        {
            job = await provider.GetFineTuneJobAsync(jobId, cancellationToken);
        }
        catch (ClientResultException ex) when (ex.Status == 404)
        {
            return (run, $"The provider has no fine-tuning job '{jobId}'.", StatusCodes.Status404NotFound);
        }

        var updated = await runs.UpdateAsync(runId, r => r with
        {
            Upload = new RunStep(StepStatus.Succeeded, 1, "Attached to an existing job"),
            FineTuneStep = new RunStep(StepStatus.Running, Message: $"Following {job.Id}", StartedAt: time.GetUtcNow()),
            // The job is the app provider's: what the run knew of a fine-tune on another provider does not carry over.
            FineTune = views.ToView(job, r.FineTune?.Settings ?? new FineTuneRequest(job.Model), r.FineTune is { } known && providers.IsOnAppProvider(known) ? known : null),
        });
        await store.FollowAsync(runId);
        return (updated, null, StatusCodes.Status200OK);
    }

    public async Task<(RunView? Run, string? Problem, int Status)> CancelAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId);
        if (run?.FineTune is null)
        {
            return (run, run is null ? $"There is no run '{runId}'." : $"Run {runId} has no fine-tune to cancel.", run is null ? 404 : 409);
        }

        if (run.FineTune.JobId is { } jobId)
        {
            var job = await providers.For(run.FineTune).CancelFineTuneJobAsync(jobId, cancellationToken);
            run = await runs.UpdateAsync(runId, r => r with { FineTune = views.ToView(job, r.FineTune!.Settings, r.FineTune) });
        }

        await store.StopFollowingAsync(runId);
        var cancelled = await runs.UpdateAsync(runId, r => r with
        {
            FineTuneStep = (r.FineTuneStep ?? new RunStep(StepStatus.Cancelled)) with { Status = StepStatus.Cancelled, Message = "Cancelled", FinishedAt = time.GetUtcNow() },
            FineTune = r.FineTune! with { Status = "cancelled" },
        });
        return (cancelled, null, 200);
    }

    public Task<RunView> SetDeploymentAsync(string runId, string deploymentName) =>
        runs.UpdateAsync(runId, r => r with { FineTune = r.FineTune! with { DeploymentName = deploymentName, NeedsDeployment = false, DeploymentState = null } });

    /// <summary>Moves a followed run one step on: upload, create, or one poll of the job.</summary>
    public async Task AdvanceAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId);
        if (run?.FineTune is null)
        {
            await store.StopFollowingAsync(runId);
            return;
        }

        if (run.FineTuneStep?.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Cancelled)
        {
            // Azure: a redeployment on its way, or a deployment to delete once the evaluation is done.
            if (run.FineTuneStep.Status == StepStatus.Succeeded && azure.HasDeploymentWork(run))
            {
                await azure.AdvanceDeploymentAsync(run, cancellationToken);
            }
            else if (!await azure.DeleteAfterEvaluationAsync(run, cancellationToken))
            {
                await store.StopFollowingAsync(runId);
            }

            return;
        }

        try
        {
            if (run.Upload?.Status != StepStatus.Succeeded)
            {
                // Azure screens uploaded files before a job may use them.
                var problem = azure.AppliesTo(run.FineTune) && run.Upload?.Status == StepStatus.Running && run.FineTune.TrainingFiles.Count > 0
                    ? await azure.WaitForFilesAsync(run, cancellationToken)
                    : await UploadAsync(run, cancellationToken);
                if (problem is not null)
                {
                    await FailAsync(runId, problem);
                }
            }
            else if (run.FineTune.JobId is null)
            {
                await CreateJobAsync(run, cancellationToken);
            }
            else if (azure.HasDeploymentWork(run))
            {
                if (await azure.AdvanceDeploymentAsync(run, cancellationToken) is { } problem)
                {
                    await FailAsync(runId, problem);
                }
            }
            else
            {
                await PollAsync(run, cancellationToken);
            }
        }
        catch (AzureManagementException ex) when (ex.IsPermanent)
        {
            logger.LogWarning("Deployment for run {RunId} failed: HTTP {Status}", runId, ex.Status);
            await FailAsync(runId, ex.Message);
        }
        catch (ClientResultException ex) when (IsPermanent(ex))
        {
            var reason = Explain(ex);
            logger.LogWarning("Fine-tune of run {RunId} failed: HTTP {Status}", runId, ex.Status);
            await FailAsync(runId, reason);
        }
        catch (Exception ex) when (ex is ClientResultException or HttpRequestException or TimeoutException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // Retries are spent or the network is down: the next poll tries again.
            logger.LogWarning(ex, "Fine-tune of run {RunId}: provider unavailable, will retry", runId);
            await runs.UpdateAsync(runId, r => r with { FineTuneStep = r.FineTuneStep! with { Message = $"Provider unavailable ({ex.GetType().Name}); retrying." } });
        }
    }

    /// <summary>Uploads the prepared files; on Azure the step then waits for them to be processed. Returns why it failed, or null.</summary>
    private async Task<string?> UploadAsync(RunView run, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.upload");
        span?.SetTag(PipelineTelemetry.RunIdTag, run.Id);
        var started = time.GetUtcNow();
        var splits = run.Preparation!.Splits.Where(s => s.Split == "train" || (s.Split == "validation" && run.FineTune!.Settings.UseValidationFile && s.Examples > 0)).ToList();
        var total = splits.Sum(s => s.Bytes);
        long done = 0;
        await runs.UpdateAsync(run.Id, r => r with { Upload = new RunStep(StepStatus.Running, 0, "Uploading", started, null, span?.TraceId.ToString()) });

        var onProvider = providers.For(run.FineTune!);
        var fileIds = new List<string>();
        foreach (var split in splits)
        {
            var path = workspace.Resolve(split.File);
            var hash = await HashFileAsync(path, cancellationToken);
            var host = onProvider.Settings.EndpointHost;
            if (await store.UploadedFileAsync(host, hash) is { } known && await onProvider.FindFileAsync(known, cancellationToken) is not null)
            {
                span?.AddEvent(new ActivityEvent("reused", tags: new ActivityTagsCollection { ["vqa.file_id"] = known }));
                fileIds.Add(known);
                done += split.Bytes;
                continue;
            }

            var before = done;
            var progress = new Progress<long>(sent => done = before + sent);
            var file = await onProvider.UploadFineTuneFileAsync(path, progress, cancellationToken);
            await store.RememberUploadAsync(host, hash, file.Id);
            fileIds.Add(file.Id);
            done = before + split.Bytes;
            await runs.UpdateAsync(run.Id, r => r with { Upload = r.Upload! with { Progress = total == 0 ? 1 : Math.Round((double)done / total, 3), Message = $"Uploaded {split.Split}" } });
        }

        if (azure.AppliesTo(run.FineTune!))
        {
            await runs.UpdateAsync(run.Id, r => r with
            {
                Upload = r.Upload! with { Progress = 1, Message = $"{fileIds.Count} file(s) uploaded; waiting for Azure OpenAI to process them" },
                FineTune = r.FineTune! with { TrainingFiles = fileIds },
            });
            return null;
        }

        await runs.UpdateAsync(run.Id, r => r with
        {
            Upload = r.Upload! with { Status = StepStatus.Succeeded, Progress = 1, Message = $"{fileIds.Count} file(s) on the provider", FinishedAt = time.GetUtcNow() },
            FineTune = r.FineTune! with { TrainingFiles = fileIds },
            FineTuneStep = r.FineTuneStep! with { Message = "Creating the job" },
        });
        return null;
    }

    private async Task CreateJobAsync(RunView run, CancellationToken cancellationToken)
    {
        using var span = StepTrace.Start("vqa.finetune.create", run.FineTuneStep?.TraceId);
        span?.SetTag(PipelineTelemetry.RunIdTag, run.Id);

        var onProvider = providers.For(run.FineTune!);
        var attempt = (run.EarlierFineTunes?.Count ?? 0) + 1;
        if (!await store.ClaimJobCreationAsync(run.Id, attempt))
        {
            // A creation was claimed before (an api stopped mid-step): find the job by its run id before making another.
            var existing = (await onProvider.ListFineTuneJobsAsync(100, cancellationToken))
                .FirstOrDefault(j => j.Metadata.TryGetValue(RunIdMetadataKey, out var id) && id == run.Id
                    && (j.Metadata.TryGetValue(AttemptMetadataKey, out var n) ? n : "1") == attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (existing is not null)
            {
                span?.SetTag("vqa.job_reused", true);
                await RecordJobAsync(run.Id, existing);
                return;
            }
        }

        var settings = run.FineTune!.Settings;
        var metadata = new Dictionary<string, string>(settings.Metadata ?? new Dictionary<string, string>()) { [RunIdMetadataKey] = run.Id };
        if (attempt > 1)
        {
            metadata[AttemptMetadataKey] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var job = await onProvider.CreateFineTuneJobAsync(new FineTuneJobRequest(
            run.FineTune.BaseModel, run.FineTune.TrainingFiles[0], run.FineTune.TrainingFiles.ElementAtOrDefault(1),
            settings.Epochs, settings.BatchSize, settings.LearningRateMultiplier, settings.Suffix, settings.Seed, metadata, settings.WandbProject, settings.TrainingType), cancellationToken);
        span?.SetTag("vqa.job_id", job.Id);
        await RecordJobAsync(run.Id, job);
    }

    private Task RecordJobAsync(string runId, ProviderJob job) =>
        runs.UpdateAsync(runId, r => r with
        {
            FineTune = views.ToView(job, r.FineTune!.Settings, r.FineTune),
            FineTuneStep = r.FineTuneStep! with { Status = StepStatus.Running, StartedAt = time.GetUtcNow(), Message = $"Job {job.Id}: {job.Status}" },
        });

    private async Task PollAsync(RunView run, CancellationToken cancellationToken)
    {
        // A fine-tune may last hours: each poll is its own short span, tagged with the run, in the step's trace.
        using var span = StepTrace.Start("vqa.finetune.poll", run.FineTuneStep?.TraceId);
        span?.SetTag(PipelineTelemetry.RunIdTag, run.Id);
        var jobId = run.FineTune!.JobId!;
        var onProvider = providers.For(run.FineTune);
        var job = await onProvider.GetFineTuneJobAsync(jobId, cancellationToken);
        span?.SetTag("vqa.job_status", job.Status);

        var cursor = await store.EventCursorAsync(run.Id);
        var events = await onProvider.GetFineTuneEventsAsync(jobId, cursor, cancellationToken);
        // When another follower got there first, it recorded these events and their metrics.
        var appended = await store.AppendEventsAsync(run.Id, cursor, [.. events.Select(e => new FineTuneEvent(e.Id, e.CreatedAt, e.Level, e.Type, e.Message))]);
        var points = appended ? events.Select(e => TrainingMetrics.FromEvent(e.Data)).OfType<FineTunePoint>().ToList() : [];
        if (points.Count > 0)
        {
            await store.SaveSeriesAsync(run.Id, TrainingMetrics.Merge(await store.SeriesAsync(run.Id), points));
        }

        var checkpoints = job.IsTerminal || events.Count > 0 ? await onProvider.GetFineTuneCheckpointsAsync(jobId, cancellationToken) : null;
        if (job.IsTerminal && job.ResultFiles.Count > 0)
        {
            var csv = (await onProvider.DownloadFileAsync(job.ResultFiles[0], cancellationToken)).ToString();
            try
            {
                await store.SaveSeriesAsync(run.Id, TrainingMetrics.Merge(await store.SeriesAsync(run.Id), TrainingMetrics.FromResultCsv(csv)));
            }
            catch (FormatException ex)
            {
                // The series from the metrics events stands; an unreadable result file must not stall the run.
                logger.LogWarning("Run {RunId}: the result file {FileId} could not be read: {Reason}", run.Id, job.ResultFiles[0], ex.Message);
            }
        }

        var view = views.ToView(job, run.FineTune.Settings, run.FineTune, checkpoints);
        var deploysItself = job.Status == "succeeded" && azure.HasDeploymentWork(run with { FineTune = view });
        var step = job.Status switch
        {
            "succeeded" when deploysItself => run.FineTuneStep! with { Status = StepStatus.Running, Progress = 1, Message = $"Trained {view.FineTunedModel}; deploying it through Resource Manager" },
            "succeeded" => new RunStep(StepStatus.Succeeded, 1, view.NeedsDeployment
                ? $"Trained {view.FineTunedModel}. Azure OpenAI serves it only once deployed: create a deployment of this model, then give its name here."
                : $"Trained {view.FineTunedModel}", run.FineTuneStep!.StartedAt, time.GetUtcNow(), run.FineTuneStep.TraceId),
            "failed" => new RunStep(StepStatus.Failed, run.FineTuneStep!.Progress, $"The job failed: {job.ErrorMessage ?? "no reason given"}", run.FineTuneStep.StartedAt, time.GetUtcNow(), run.FineTuneStep.TraceId),
            "cancelled" => new RunStep(StepStatus.Cancelled, run.FineTuneStep!.Progress, "The job was cancelled", run.FineTuneStep.StartedAt, time.GetUtcNow(), run.FineTuneStep.TraceId),
            _ => run.FineTuneStep! with { Status = StepStatus.Running, Progress = await ProgressAsync(run.Id, events), Message = $"Job {job.Id}: {job.Status}" },
        };
        await runs.UpdateAsync(run.Id, r => r with { FineTune = view, FineTuneStep = step });
        if (job.IsTerminal && !deploysItself)
        {
            await store.StopFollowingAsync(run.Id);
        }
    }

    /// <summary>Progress from the last metrics event's step out of its total_steps.</summary>
    private async Task<double> ProgressAsync(string runId, IReadOnlyList<ProviderJobEvent> events)
    {
        var last = events.LastOrDefault(e => e.Data?["total_steps"] is not null);
        if (last?.Data is { } data && data["step"] is JsonValue s && s.TryGetValue<int>(out var step)
            && data["total_steps"] is JsonValue t && t.TryGetValue<int>(out var total) && total > 0)
        {
            return Math.Round((double)step / total, 3);
        }

        return (await runs.GetAsync(runId))?.FineTuneStep?.Progress ?? 0;
    }

    private Task FailAsync(string runId, string reason) =>
        Task.WhenAll(store.StopFollowingAsync(runId), runs.UpdateAsync(runId, r => r with
        {
            Upload = r.Upload?.Status is StepStatus.Succeeded ? r.Upload : (r.Upload ?? new RunStep(StepStatus.Failed)) with { Status = StepStatus.Failed, Message = reason, FinishedAt = time.GetUtcNow() },
            FineTuneStep = (r.FineTuneStep ?? new RunStep(StepStatus.Failed)) with { Status = StepStatus.Failed, Message = reason, FinishedAt = time.GetUtcNow() },
            FineTune = r.FineTune! with { Status = r.FineTune.JobId is null ? "not_created" : r.FineTune.Status, Error = reason },
        }));

    private static bool IsPermanent(ClientResultException ex) => ex.Status is >= 400 and < 500 and not 408 and not 409 and not 429;

    /// <summary>The provider's refusal in plain words, never echoing a key.</summary>
    internal static string Explain(ClientResultException ex) => ProviderRefusal.Explain(ex);

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
