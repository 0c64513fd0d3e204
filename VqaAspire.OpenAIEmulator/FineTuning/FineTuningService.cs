using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VqaAspire.OpenAIEmulator.Chat;
using VqaAspire.OpenAIEmulator.Faults;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.Models;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.FineTuning;

/// <summary>Creates jobs and moves them through OpenAI's states on the configured clock.</summary>
public sealed class FineTuningService
{
    /// <summary>Snapshots that take vision fine-tuning (and their fine-tunes, for continued fine-tuning).</summary>
    public static readonly string[] FineTunableModels = ["gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14"];

    public const string TrainingNotAvailableMessage =
        "Fine-tuning is not available for your organization. OpenAI is winding down self-serve fine-tuning; new training jobs are refused. (emulated by VqaAspire)";

    private readonly ObjectCollection<JobRecord> _jobs;
    private readonly FileStore _files;
    private readonly ModelCatalog _catalog;
    private readonly KnowledgeStore _knowledge;
    private readonly FaultInjector _faults;
    private readonly IOptionsMonitor<EmulatorOptions> _options;
    private readonly ILogger<FineTuningService> _logger;
    private readonly TimeProvider _time;

    public FineTuningService(ObjectStore store, FileStore files, ModelCatalog catalog, KnowledgeStore knowledge, FaultInjector faults,
        IOptionsMonitor<EmulatorOptions> options, ILogger<FineTuningService> logger, TimeProvider time)
    {
        _jobs = store.Collection<JobRecord>("fine_tuning_jobs", r => r.Job.Id);
        _files = files;
        _catalog = catalog;
        _knowledge = knowledge;
        _faults = faults;
        _options = options;
        _logger = logger;
        _time = time;
        // A deleted model keeps its job (as on OpenAI) but not its knowledge, so it stays deleted.
        foreach (var record in _jobs.All.Where(r => r.Job is { Status: "succeeded", FineTunedModel: not null } && knowledge.Find(r.Job.FineTunedModel!) is not null))
        {
            _catalog.AddFineTuned(record.Job.FineTunedModel!, EmulatorOptions.Owner, record.Job.FinishedAt ?? record.Job.CreatedAt);
        }
    }

    public IEnumerable<JobRecord> All => _jobs.All;

    public JobRecord? Find(string id) => _jobs.Find(id);

    /// <param name="azure">Created through Azure's surface: the job gets an Azure-style id and its model an Azure-style name (base.ft-id).</param>
    public JobRecord Create(JsonElement request, bool azure = false)
    {
        if (_faults.Settings.TrainingNotAvailable)
        {
            throw new OpenAIRequestException(403, TrainingNotAvailableMessage, null, "training_not_available");
        }

        var read = FineTuningRequest.Read(request, _files, _knowledge);
        var now = _time.GetUtcNow();
        var record = new JobRecord
        {
            Job = new FineTuningJob
            {
                Id = azure ? "ftjob-" + Guid.NewGuid().ToString("N") : Ids.New("ftjob-"),
                CreatedAt = now.ToUnixTimeSeconds(),
                Hyperparameters = read.Hyperparameters,
                Model = read.Model,
                TrainingFile = read.TrainingFile,
                ValidationFile = read.ValidationFile,
                Integrations = read.Integrations,
                Seed = read.Seed,
                Method = new FineTuneMethod { Supervised = new SupervisedMethod { Hyperparameters = read.Hyperparameters } },
                Metadata = read.Metadata,
                UserProvidedSuffix = read.Suffix,
            },
            PhaseStartedAtMs = now.ToUnixTimeMilliseconds(),
            Azure = azure,
            WillFail = _faults.DrawJobFailure(),
        };
        AddEvent(record, "info", $"Created fine-tuning job: {record.Job.Id}");
        AddEvent(record, "info", $"Validating training file: {read.TrainingFile}" + (read.ValidationFile is null ? "" : $" and validation file: {read.ValidationFile}"));
        _jobs.Save(record);
        return record;
    }


    public JobRecord? Cancel(string id)
    {
        var record = _jobs.Find(id);
        if (record is null)
        {
            return null;
        }

        lock (record)
        {
            if (record.IsTerminal)
            {
                throw OpenAIRequestException.Invalid($"Job {id} has already {(record.Job.Status == "cancelled" ? "been cancelled" : record.Job.Status)}; only a running job can be cancelled.", "fine_tuning_job_id");
            }

            record.Job.Status = "cancelled";
            record.Job.FinishedAt = Now();
            AddEvent(record, "info", "Fine-tuning job cancelled");
            _jobs.Save(record);
        }

        return record;
    }

    /// <summary>
    /// Azure's pause: only a running job that has trained at least one step (Azure's fine-tuning REST article).
    /// The clock stands still while it is paused.
    /// </summary>
    public JobRecord? Pause(string id)
    {
        var record = _jobs.Find(id);
        if (record is null)
        {
            return null;
        }

        lock (record)
        {
            if (record.Job.Status != "running" || record.CompletedSteps < 1)
            {
                throw OpenAIRequestException.Invalid($"Job {id} is {record.Job.Status}{(record.Job.Status == "running" ? " and has not trained a step yet" : "")}; only a running job that has trained at least one step can be paused.", "fine_tuning_job_id", "invalidPayload");
            }

            record.Job.Status = "paused";
            record.PausedAtMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            AddEvent(record, "info", "Fine-tuning job paused");
            _jobs.Save(record);
        }

        return record;
    }

    /// <summary>Resumes a paused job where it stood: the paused time does not count as training.</summary>
    public JobRecord? Resume(string id)
    {
        var record = _jobs.Find(id);
        if (record is null)
        {
            return null;
        }

        lock (record)
        {
            if (record.Job.Status != "paused")
            {
                throw OpenAIRequestException.Invalid($"Job {id} is {record.Job.Status}; only a paused job can be resumed.", "fine_tuning_job_id", "invalidPayload");
            }

            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            record.PhaseStartedAtMs += nowMs - (record.PausedAtMs ?? nowMs);
            record.PausedAtMs = null;
            record.Job.Status = "running";
            AddEvent(record, "info", "Fine-tuning job resumed");
            _jobs.Save(record);
        }

        return record;
    }

    /// <summary>One tick of the clock: moves every unfinished job as far as its time allows.</summary>
    public async Task AdvanceAsync(CancellationToken cancellationToken)
    {
        foreach (var record in _jobs.All.Where(r => !r.IsTerminal).ToList())
        {
            try
            {
                await AdvanceAsync(record, cancellationToken);
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                _logger.LogWarning(e, "Job {JobId} could not advance", record.Job.Id);
            }
        }
    }

    private async Task AdvanceAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var clock = _options.CurrentValue.FineTuning;
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var elapsed = nowMs - record.PhaseStartedAtMs;
        switch (record.Job.Status)
        {
            case "validating_files" when elapsed >= clock.ValidatingMilliseconds:
                var error = await ValidateAsync(record, cancellationToken);
                lock (record)
                {
                    if (record.IsTerminal)
                    {
                        return;
                    }

                    if (error is not null)
                    {
                        Fail(record, error);
                    }
                    else
                    {
                        record.Job.Status = "queued";
                        record.PhaseStartedAtMs = nowMs;
                        AddEvent(record, "info", "Files validated, moving job to queued state");
                    }

                    _jobs.Save(record);
                }

                break;
            case "queued" when elapsed >= clock.QueuedMilliseconds:
                lock (record)
                {
                    if (record.IsTerminal)
                    {
                        return;
                    }

                    var hp = record.Job.Hyperparameters;
                    var steps = (int)Math.Ceiling((double)record.TrainingExamples * hp.NEpochs / hp.BatchSize);
                    record.TotalSteps = Math.Clamp(steps, hp.NEpochs, Math.Max(hp.NEpochs, clock.MaxSteps));
                    record.Job.Status = "running";
                    record.PhaseStartedAtMs = nowMs;
                    record.Job.EstimatedFinish = (nowMs + (long)record.TotalSteps * clock.StepMilliseconds) / 1000;
                    AddEvent(record, "info", "Fine-tuning job started");
                    _jobs.Save(record);
                }

                break;
            case "running":
                await RunStepsAsync(record, elapsed, clock, cancellationToken);
                break;
        }
    }

    private async Task<JobError?> ValidateAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var training = await ReadFileAsync(record.Job.TrainingFile, isTraining: true, learn: false, cancellationToken);
        if (training.Error is not null)
        {
            return training.Error;
        }

        record.TrainingExamples = training.Examples;
        record.TrainingTokens = training.Tokens;
        if (record.Job.ValidationFile is { } validationFile)
        {
            var validation = await ReadFileAsync(validationFile, isTraining: false, learn: false, cancellationToken);
            return validation.Error;
        }

        return null;
    }

    private async Task<TrainingFileReport> ReadFileAsync(string fileId, bool isTraining, bool learn, CancellationToken cancellationToken)
    {
        if (_files.Find(fileId) is null)
        {
            var which = isTraining ? "training" : "validation";
            return new TrainingFileReport { Error = new JobError($"invalid_{which}_file", $"The job failed because the {which} file {fileId} was deleted.", $"{which}_file") };
        }

        await using var stream = _files.OpenRead(fileId);
        return await TrainingFileValidator.ReadAsync(stream, isTraining, learn, cancellationToken);
    }

    private async Task RunStepsAsync(JobRecord record, long elapsed, FineTuningClockOptions clock, CancellationToken cancellationToken)
    {
        var due = (int)Math.Min(record.TotalSteps, elapsed / Math.Max(1, clock.StepMilliseconds));
        if (due <= record.CompletedSteps)
        {
            return;
        }

        lock (record)
        {
            // Paused between the look at the clock and here: no step is due.
            if (record.IsTerminal || record.Job.Status != "running")
            {
                return;
            }

            var hasValidation = record.Job.ValidationFile is not null;
            for (var step = record.CompletedSteps + 1; step <= due; step++)
            {
                var metrics = TrainingCurve.Metrics(record, step, hasValidation);
                record.Metrics.Add(metrics);
                var data = JsonSerializer.SerializeToElement(new
                {
                    step,
                    train_loss = metrics.TrainLoss,
                    train_mean_token_accuracy = metrics.TrainAccuracy,
                    valid_loss = metrics.ValidLoss,
                    valid_mean_token_accuracy = metrics.ValidMeanTokenAccuracy,
                    total_steps = record.TotalSteps,
                });
                AddEvent(record, "info", $"Step {step}/{record.TotalSteps}: training loss={metrics.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture)}", "metrics", data);
                record.CompletedSteps = step;

                if (record.WillFail && step >= Math.Max(1, record.TotalSteps / 2))
                {
                    Fail(record, new JobError("server_error", "The job failed due to an internal error. (failure injected by the emulator's fail_job_rate)", null));
                    _jobs.Save(record);
                    return;
                }
            }

            if (record.CompletedSteps < record.TotalSteps)
            {
                _jobs.Save(record);
                return;
            }
        }

        // The last step: learn from the training file, then publish the model.
        var knowledge = await ReadFileAsync(record.Job.TrainingFile, isTraining: true, learn: true, cancellationToken);
        var resultCsv = TrainingCurve.ResultCsv(record);
        var resultFile = await _files.CreateAsync("step_metrics.csv", "fine-tune-results",
            Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(resultCsv))), cancellationToken);
        lock (record)
        {
            if (record.IsTerminal)
            {
                return;
            }

            var job = record.Job;
            var baseModel = FineTunedNames.BaseOf(job.Model);
            var modelId = record.Azure
                ? FineTunedNames.Azure(baseModel, job.Id, job.UserProvidedSuffix)
                : $"ft:{baseModel}:{EmulatorOptions.Owner}:{job.UserProvidedSuffix}:{job.Id["ftjob-".Length..][..8]}";
            record.Checkpoints = TrainingCurve.Checkpoints(record, modelId, Now());
            foreach (var checkpoint in record.Checkpoints.OrderBy(c => c.StepNumber))
            {
                AddEvent(record, "info", $"Checkpoint created at step {checkpoint.StepNumber}");
            }

            _knowledge.Save(new TrainedKnowledge
            {
                JobId = job.Id,
                FineTunedModel = modelId,
                CheckpointModels = [.. record.Checkpoints.Select(c => c.FineTunedModelCheckpoint)],
                Answers = knowledge.Answers,
                AnswersByKind = knowledge.AnswerCountsByKind.ToDictionary(k => k.Key,
                    k => k.Value.OrderByDescending(a => a.Value).ThenBy(a => a.Key, StringComparer.Ordinal).First().Key),
            });
            var now = Now();
            _catalog.AddFineTuned(modelId, EmulatorOptions.Owner, now);
            job.FineTunedModel = modelId;
            job.ResultFiles = [resultFile.Id];
            job.TrainedTokens = record.TrainingTokens * job.Hyperparameters.NEpochs;
            job.FinishedAt = now;
            job.EstimatedFinish = null;
            job.Status = "succeeded";
            AddEvent(record, "info", $"New fine-tuned model created: {modelId}");
            AddEvent(record, "info", "The job has successfully completed");
            _jobs.Save(record);
        }
    }

    private void Fail(JobRecord record, JobError error)
    {
        // The status last: a reader that sees "failed" must also see why.
        record.Job.Error = error;
        record.Job.FinishedAt = Now();
        record.Job.EstimatedFinish = null;
        AddEvent(record, "error", error.Message);
        record.Job.Status = "failed";
    }

    private void AddEvent(JobRecord record, string level, string message, string type = "message", JsonElement? data = null) =>
        record.Events.Add(new JobEvent(Ids.New("ftevent-"), Now(), level, message, type, data));

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();
}
