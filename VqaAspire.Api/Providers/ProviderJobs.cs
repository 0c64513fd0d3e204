using System.Text.Json;
using System.Text.Json.Nodes;

namespace VqaAspire.Api.Providers;

/// <summary>A file on the provider.</summary>
/// <param name="Status">Azure: pending until screened, then processed (or error); OpenAI: processed.</param>
public sealed record ProviderFile(string Id, long Bytes, string? Status, string? StatusDetails = null);

/// <summary>What a fine-tuning job is created with (OpenAI's <c>method: supervised</c> shape).</summary>
public sealed record FineTuneJobRequest(
    string BaseModel,
    string TrainingFileId,
    string? ValidationFileId,
    int? Epochs,
    int? BatchSize,
    double? LearningRateMultiplier,
    string? Suffix,
    int? Seed,
    IReadOnlyDictionary<string, string> Metadata,
    string? WandbProject,
    string? TrainingType = null);

/// <summary>A fine-tuning job as the provider reports it, with Azure's differences already absorbed.</summary>
public sealed record ProviderJob(
    string Id,
    string Model,
    string Status,
    string? FineTunedModel,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    long? TrainedTokens,
    IReadOnlyList<string> ResultFiles,
    string? TrainingFile,
    string? ValidationFile,
    string? Hyperparameters,
    string? ErrorMessage,
    IReadOnlyDictionary<string, string> Metadata)
{
    public bool IsTerminal => Status is "succeeded" or "failed" or "cancelled";

    /// <summary>Reads OpenAI's job object (Azure's <c>paused</c> stays paused); Azure's <c>pending</c> becomes <c>queued</c> and a null <c>result_files</c> an empty list.</summary>
    public static ProviderJob Parse(JsonElement job)
    {
        var status = Text(job, "status") ?? "unknown";
        status = status switch
        {
            "pending" or "notRunning" => "queued",
            "canceled" => "cancelled",
            "completed" => "succeeded",
            _ => status,
        };
        var hyper = job.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.Object
            && method.TryGetProperty("supervised", out var supervised) && supervised.TryGetProperty("hyperparameters", out var h)
                ? h.GetRawText()
                : job.TryGetProperty("hyperparameters", out var legacy) && legacy.ValueKind == JsonValueKind.Object ? legacy.GetRawText() : null;
        string? error = null;
        if (job.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
        {
            var message = Text(e, "message");
            var code = Text(e, "code");
            var param = Text(e, "param");
            error = message is null ? null : $"{message}{(code is null ? "" : $" ({code}{(param is null ? "" : $", {param}")})")}";
        }

        return new ProviderJob(
            Text(job, "id") ?? throw new JsonException("A fine-tuning job without an id."),
            Text(job, "model") ?? "",
            status,
            Text(job, "fine_tuned_model"),
            Time(job, "created_at") ?? DateTimeOffset.UnixEpoch,
            Time(job, "finished_at"),
            job.TryGetProperty("trained_tokens", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : null,
            job.TryGetProperty("result_files", out var r) && r.ValueKind == JsonValueKind.Array ? [.. r.EnumerateArray().Select(x => x.GetString()!).Where(x => x is not null)] : [],
            Text(job, "training_file"),
            Text(job, "validation_file"),
            hyper,
            error,
            job.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
                ? m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
                : new Dictionary<string, string>());
    }

    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeSeconds(value.GetInt64()) : null;
}

/// <summary>A job event: a message, or metrics for a step.</summary>
public sealed record ProviderJobEvent(string Id, DateTimeOffset CreatedAt, string Level, string Type, string Message, JsonObject? Data)
{
    public static ProviderJobEvent Parse(JsonElement e) => new(
        ProviderJob.Text(e, "id") ?? "",
        ProviderJob.Time(e, "created_at") ?? DateTimeOffset.UnixEpoch,
        ProviderJob.Text(e, "level") ?? "info",
        ProviderJob.Text(e, "type") ?? "message",
        ProviderJob.Text(e, "message") ?? "",
        e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? JsonNode.Parse(data.GetRawText()) as JsonObject : null);
}

public sealed record ProviderCheckpoint(string Id, string Model, int Step, DateTimeOffset CreatedAt, double? TrainLoss, double? ValidLoss, double? TrainAccuracy)
{
    public static ProviderCheckpoint Parse(JsonElement c)
    {
        double? Metric(string name) =>
            c.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        return new ProviderCheckpoint(
            ProviderJob.Text(c, "id") ?? "",
            ProviderJob.Text(c, "fine_tuned_model_checkpoint") ?? "",
            c.TryGetProperty("step_number", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0,
            ProviderJob.Time(c, "created_at") ?? DateTimeOffset.UnixEpoch,
            Metric("train_loss"), Metric("valid_loss") ?? Metric("full_valid_loss"), Metric("train_mean_token_accuracy"));
    }
}
