using System.Text.Json;
using System.Text.Json.Serialization;

namespace VqaAspire.OpenAIEmulator.FineTuning;

public sealed record JobError(string Code, string Message, string? Param);

public sealed class Hyperparameters
{
    public int BatchSize { get; set; }

    public double LearningRateMultiplier { get; set; }

    public int NEpochs { get; set; }
}

public sealed class SupervisedMethod
{
    public Hyperparameters Hyperparameters { get; set; } = new();
}

public sealed class FineTuneMethod
{
    public string Type { get; set; } = "supervised";

    public SupervisedMethod Supervised { get; set; } = new();
}

/// <summary>An OpenAI fine-tuning job object, as the API returns it.</summary>
public sealed class FineTuningJob
{
    public required string Id { get; init; }

    public string Object => "fine_tuning.job";

    public required long CreatedAt { get; init; }

    public JobError? Error { get; set; }

    public string? FineTunedModel { get; set; }

    public long? FinishedAt { get; set; }

    public required Hyperparameters Hyperparameters { get; init; }

    public required string Model { get; init; }

    public string OrganizationId => "org-vqaaspire-emulator";

    public List<string> ResultFiles { get; set; } = [];

    public string Status { get; set; } = "validating_files";

    public long? TrainedTokens { get; set; }

    public required string TrainingFile { get; init; }

    public string? ValidationFile { get; init; }

    public List<JsonElement>? Integrations { get; init; }

    public required int Seed { get; init; }

    public long? EstimatedFinish { get; set; }

    public required FineTuneMethod Method { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public string? UserProvidedSuffix { get; init; }

    /// <summary>A shallow copy: the clock replaces lists and objects whole, it never edits them in place.</summary>
    internal FineTuningJob Copy() => (FineTuningJob)MemberwiseClone();
}

public sealed record JobEvent(string Id, long CreatedAt, string Level, string Message, string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Data)
{
    public string Object => "fine_tuning.job.event";
}

public sealed record CheckpointMetrics(int Step, double TrainLoss, double TrainMeanTokenAccuracy, double? ValidLoss, double? ValidMeanTokenAccuracy, double? FullValidLoss, double? FullValidMeanTokenAccuracy);

public sealed record JobCheckpoint(string Id, long CreatedAt, string FineTunedModelCheckpoint, int StepNumber, CheckpointMetrics Metrics, string FineTuningJobId)
{
    public string Object => "fine_tuning.job.checkpoint";
}

public sealed record StepMetrics(int Step, double TrainLoss, double TrainAccuracy, double? ValidLoss, double? ValidMeanTokenAccuracy);

/// <summary>A job with the emulator's bookkeeping: its clock, events, checkpoints and step metrics. Stored as one JSON document.</summary>
public sealed class JobRecord
{
    public required FineTuningJob Job { get; init; }

    /// <summary>When the current phase began (Unix milliseconds).</summary>
    public long PhaseStartedAtMs { get; set; }

    public int TotalSteps { get; set; }

    public int CompletedSteps { get; set; }

    public int TrainingExamples { get; set; }

    public long TrainingTokens { get; set; }

    /// <summary>Created through the Azure OpenAI surface: named and listed as Azure names and lists jobs.</summary>
    public bool Azure { get; set; }

    /// <summary>Drawn at creation from the failing-jobs fault: this job fails halfway through.</summary>
    public bool WillFail { get; set; }

    public List<JobEvent> Events { get; set; } = [];

    public List<JobCheckpoint> Checkpoints { get; set; } = [];

    public List<StepMetrics> Metrics { get; set; } = [];

    [JsonIgnore]
    public bool IsTerminal => Job.Status is "succeeded" or "failed" or "cancelled";

    /// <summary>When the job was paused (Unix milliseconds); its clock stands still until it resumes.</summary>
    public long? PausedAtMs { get; set; }

    /// <summary>
    /// The job as it is now, copied under the record's lock. An answer is serialized after the handler returns,
    /// field by field in declaration order, so the live object could show "failed" with no error yet.
    /// </summary>
    public FineTuningJob Snapshot()
    {
        lock (this)
        {
            return Job.Copy();
        }
    }
}
