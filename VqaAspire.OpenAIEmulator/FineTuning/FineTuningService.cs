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

    public FineTuningService(ObjectStore store, FileStore files, ModelCatalog catalog, KnowledgeStore knowledge, FaultInjector faults,
        IOptionsMonitor<EmulatorOptions> options, ILogger<FineTuningService> logger)
    {
        _jobs = store.Collection<JobRecord>("fine_tuning_jobs", r => r.Job.Id);
        _files = files;
        _catalog = catalog;
        _knowledge = knowledge;
        _faults = faults;
        _options = options;
        _logger = logger;
        // A deleted model keeps its job (as on OpenAI) but not its knowledge, so it stays deleted.
        foreach (var record in _jobs.All.Where(r => r.Job is { Status: "succeeded", FineTunedModel: not null } && knowledge.Find(r.Job.FineTunedModel!) is not null))
        {
            _catalog.AddFineTuned(record.Job.FineTunedModel!, EmulatorOptions.Owner, record.Job.FinishedAt ?? record.Job.CreatedAt);
        }
    }

    public IEnumerable<JobRecord> All => _jobs.All;

    public JobRecord? Find(string id) => _jobs.Find(id);

    public JobRecord Create(JsonElement request)
    {
        if (_faults.Settings.TrainingNotAvailable)
        {
            throw new OpenAIRequestException(403, TrainingNotAvailableMessage, null, "training_not_available");
        }

        if (request.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIRequestException.Invalid("The request body must be a JSON object.");
        }

        var model = String(request, "model") ?? throw OpenAIRequestException.Invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        var baseModel = model.StartsWith("ft:", StringComparison.Ordinal) && _knowledge.Find(model) is not null ? model.Split(':')[1] : model;
        if (!FineTunableModels.Contains(baseModel))
        {
            throw OpenAIRequestException.Invalid($"Model {model} is not available for fine-tuning or does not exist.", "model", "model_not_available");
        }

        var trainingFile = CheckFile(String(request, "training_file") ?? throw OpenAIRequestException.Invalid("Missing required parameter: 'training_file'.", "training_file", "missing_required_parameter"), "training_file");
        var validationFile = String(request, "validation_file") is { } v ? CheckFile(v, "validation_file") : null;
        var suffix = String(request, "suffix");
        if (suffix is { Length: > 64 })
        {
            throw OpenAIRequestException.Invalid($"Invalid 'suffix': string too long. Expected a string with maximum length 64, but got a string with length {suffix.Length} instead.", "suffix", "string_above_max_length");
        }

        // method.supervised.hyperparameters wins over the legacy top-level hyperparameters.
        JsonElement? hyper = request.TryGetProperty("hyperparameters", out var legacy) && legacy.ValueKind == JsonValueKind.Object ? legacy : null;
        var hyperParam = "hyperparameters";
        if (request.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.Object)
        {
            var type = String(method, "type", "method.type");
            if (type is not ("supervised" or null))
            {
                throw OpenAIRequestException.Invalid($"Invalid value for 'method.type': '{type}'. The emulator fine-tunes with 'supervised' only.", "method.type", "invalid_value");
            }

            if (method.TryGetProperty("supervised", out var supervised) && supervised.ValueKind == JsonValueKind.Object
                && supervised.TryGetProperty("hyperparameters", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                hyper = h;
                hyperParam = "method.supervised.hyperparameters";
            }
        }

        var hyperparameters = new Hyperparameters
        {
            NEpochs = (int)Hyper(hyper, "n_epochs", hyperParam, 3, 1, 50, integer: true),
            BatchSize = (int)Hyper(hyper, "batch_size", hyperParam, 1, 1, 256, integer: true),
            LearningRateMultiplier = Hyper(hyper, "learning_rate_multiplier", hyperParam, 2, double.Epsilon, 1000, integer: false),
        };

        Dictionary<string, string>? metadata = null;
        if (request.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            metadata = [];
            foreach (var pair in meta.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String || pair.Name.Length > 64 || pair.Value.GetString()!.Length > 512)
                {
                    throw OpenAIRequestException.Invalid($"Invalid 'metadata.{pair.Name}': keys are strings of at most 64 characters, values strings of at most 512.", $"metadata.{pair.Name}");
                }

                metadata[pair.Name] = pair.Value.GetString()!;
            }

            if (metadata.Count > 16)
            {
                throw OpenAIRequestException.Invalid("Invalid 'metadata': at most 16 key-value pairs.", "metadata");
            }
        }

        List<JsonElement>? integrations = null;
        if (request.TryGetProperty("integrations", out var integrationsElement) && integrationsElement.ValueKind == JsonValueKind.Array)
        {
            integrations = [.. integrationsElement.EnumerateArray().Select(i => i.Clone())];
        }

        int seed;
        if (request.TryGetProperty("seed", out var seedElement) && seedElement.ValueKind != JsonValueKind.Null)
        {
            if (seedElement.ValueKind != JsonValueKind.Number || !seedElement.TryGetInt32(out seed))
            {
                throw OpenAIRequestException.Invalid("Invalid type for 'seed': expected an integer.", "seed", "invalid_type");
            }
        }
        else
        {
            seed = Random.Shared.Next(0, int.MaxValue);
        }

        var now = DateTimeOffset.UtcNow;
        var record = new JobRecord
        {
            Job = new FineTuningJob
            {
                Id = Ids.New("ftjob-"),
                CreatedAt = now.ToUnixTimeSeconds(),
                Hyperparameters = hyperparameters,
                Model = model,
                TrainingFile = trainingFile,
                ValidationFile = validationFile,
                Integrations = integrations,
                Seed = seed,
                Method = new FineTuneMethod { Supervised = new SupervisedMethod { Hyperparameters = hyperparameters } },
                Metadata = metadata,
                UserProvidedSuffix = suffix,
            },
            PhaseStartedAtMs = now.ToUnixTimeMilliseconds(),
            WillFail = _faults.DrawJobFailure(),
        };
        AddEvent(record, "info", $"Created fine-tuning job: {record.Job.Id}");
        AddEvent(record, "info", $"Validating training file: {trainingFile}" + (validationFile is null ? "" : $" and validation file: {validationFile}"));
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
            record.Job.FinishedAt = Ids.Now();
            AddEvent(record, "info", "Fine-tuning job cancelled");
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
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
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
            if (record.IsTerminal)
            {
                return;
            }

            var hasValidation = record.Job.ValidationFile is not null;
            for (var step = record.CompletedSteps + 1; step <= due; step++)
            {
                var metrics = Metrics(record, step, hasValidation);
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
        var resultCsv = ResultCsv(record);
        var resultFile = await _files.CreateAsync("step_metrics.csv", "fine-tune-results",
            Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(resultCsv))), cancellationToken);
        lock (record)
        {
            if (record.IsTerminal)
            {
                return;
            }

            var job = record.Job;
            var baseModel = job.Model.StartsWith("ft:", StringComparison.Ordinal) ? job.Model.Split(':')[1] : job.Model;
            var modelId = $"ft:{baseModel}:{EmulatorOptions.Owner}:{job.UserProvidedSuffix}:{job.Id["ftjob-".Length..][..8]}";
            record.Checkpoints = Checkpoints(record, modelId);
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
            var now = Ids.Now();
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

    // A deterministic, falling loss curve: the same seed gives the same numbers.
    private static StepMetrics Metrics(JobRecord record, int step, bool hasValidation)
    {
        var progress = (double)step / record.TotalSteps;
        var noise = (new Random(HashCode.Combine(record.Job.Seed, step)).NextDouble() - 0.5) * 0.1;
        var loss = Math.Round(0.15 + 1.85 * Math.Exp(-3 * progress) + noise, 4);
        var accuracy = Math.Round(Math.Clamp(1 - loss / 2.5, 0, 1), 4);
        return new StepMetrics(step, loss, accuracy, hasValidation ? Math.Round(loss + 0.08, 4) : null, hasValidation ? Math.Round(Math.Clamp(accuracy - 0.03, 0, 1), 4) : null);
    }

    private static string ResultCsv(JobRecord record)
    {
        var csv = new StringBuilder("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
        foreach (var m in record.Metrics)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{m.Step},{m.TrainLoss},{m.TrainAccuracy},{m.ValidLoss},{m.ValidMeanTokenAccuracy}\n");
        }

        return csv.ToString();
    }

    // Checkpoints at the end of each of the last three epochs; the last one is the final model.
    private static List<JobCheckpoint> Checkpoints(JobRecord record, string modelId)
    {
        var epochs = record.Job.Hyperparameters.NEpochs;
        var checkpoints = new List<JobCheckpoint>();
        for (var epoch = Math.Max(1, epochs - 2); epoch <= epochs; epoch++)
        {
            var step = Math.Max(1, (int)Math.Round((double)record.TotalSteps * epoch / epochs));
            var m = record.Metrics[Math.Min(step, record.Metrics.Count) - 1];
            checkpoints.Add(new JobCheckpoint(
                Ids.New("ftckpt_"),
                Ids.Now(),
                epoch == epochs ? modelId : $"{modelId}:ckpt-step-{step}",
                step,
                new CheckpointMetrics(step, m.TrainLoss, m.TrainAccuracy, m.ValidLoss, m.ValidMeanTokenAccuracy, m.ValidLoss, m.ValidMeanTokenAccuracy),
                record.Job.Id));
        }

        checkpoints.Reverse();
        return checkpoints;
    }

    private static void Fail(JobRecord record, JobError error)
    {
        // The status last: a reader that sees "failed" must also see why.
        record.Job.Error = error;
        record.Job.FinishedAt = Ids.Now();
        record.Job.EstimatedFinish = null;
        AddEvent(record, "error", error.Message);
        record.Job.Status = "failed";
    }

    private static void AddEvent(JobRecord record, string level, string message, string type = "message", JsonElement? data = null) =>
        record.Events.Add(new JobEvent(Ids.New("ftevent-"), Ids.Now(), level, message, type, data));

    private string CheckFile(string fileId, string param)
    {
        var file = _files.Find(fileId) ?? throw OpenAIRequestException.Invalid($"invalid {param}: {fileId}. No such file.", param, "file_not_found");
        return file.Purpose == "fine-tune"
            ? file.Id
            : throw OpenAIRequestException.Invalid($"invalid {param}: {fileId} has purpose '{file.Purpose}'; fine-tuning files must be uploaded with purpose 'fine-tune'.", param, "invalid_file_purpose");
    }

    private static string? String(JsonElement element, string name, string? param = null)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw OpenAIRequestException.Invalid($"Invalid type for '{param ?? name}': expected a string, but got {MessageReader.Describe(value)}.", param ?? name, "invalid_type");
    }

    private static double Hyper(JsonElement? hyper, string name, string param, double auto, double min, double max, bool integer)
    {
        if (hyper is not { } h || !h.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.String && value.GetString() == "auto"))
        {
            return auto;
        }

        var full = $"{param}.{name}";
        if (value.ValueKind != JsonValueKind.Number || (integer && !value.TryGetInt32(out _)))
        {
            throw OpenAIRequestException.Invalid($"Invalid type for '{full}': expected 'auto' or {(integer ? "an integer" : "a number")}, but got {MessageReader.Describe(value)}.", full, "invalid_type");
        }

        var number = value.GetDouble();
        if (number < min || number > max)
        {
            throw OpenAIRequestException.Invalid(
                integer ? $"Invalid '{full}': expected a value between {min} and {max}, but got {number}." : $"Invalid '{full}': expected a number greater than 0, but got {number}.",
                full, "invalid_value");
        }

        return number;
    }
}

/// <summary>The fine-tuning clock: advances jobs every few milliseconds.</summary>
public sealed class FineTuningClock(FineTuningService jobs, IOptionsMonitor<EmulatorOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(5, options.CurrentValue.FineTuning.TickMilliseconds)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await jobs.AdvanceAsync(stoppingToken);
        }
    }
}
