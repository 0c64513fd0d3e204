using System.Text.Json;

namespace VqaAspire.Api.Providers;

/// <summary>
/// Everything the pipeline asks of an OpenAI-shaped provider. The OpenAI SDK is used behind this interface only,
/// and provider differences (Azure's statuses, null lists) are absorbed here.
/// </summary>
public interface IModelProvider
{
    ProviderOptions Settings { get; }

    /// <summary>Ids of the models the provider serves (a cheap call that proves the endpoint and key work).</summary>
    Task<IReadOnlyList<string>> ListModelIdsAsync(CancellationToken cancellationToken);

    /// <summary>Uploads a JSONL for fine-tuning: the Files API up to its limit, the Uploads API in 64 MB parts above. Reports bytes sent.</summary>
    Task<ProviderFile> UploadFineTuneFileAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>The file, or null when the provider no longer has it.</summary>
    Task<ProviderFile?> FindFileAsync(string fileId, CancellationToken cancellationToken);

    Task<BinaryData> DownloadFileAsync(string fileId, CancellationToken cancellationToken);

    Task<ProviderJob> CreateFineTuneJobAsync(FineTuneJobRequest request, CancellationToken cancellationToken);

    Task<ProviderJob> GetFineTuneJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The most recent jobs, including ones created outside the app.</summary>
    Task<IReadOnlyList<ProviderJob>> ListFineTuneJobsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Events newer than <paramref name="sinceEventId"/> (all when null), oldest first.</summary>
    Task<IReadOnlyList<ProviderJobEvent>> GetFineTuneEventsAsync(string jobId, string? sinceEventId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProviderCheckpoint>> GetFineTuneCheckpointsAsync(string jobId, CancellationToken cancellationToken);

    Task<ProviderJob> CancelFineTuneJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Azure OpenAI only: pauses a running job that has trained a step (a deployable checkpoint is kept).</summary>
    Task<ProviderJob> PauseFineTuneJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Azure OpenAI only: resumes a paused job.</summary>
    Task<ProviderJob> ResumeFineTuneJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>One chat completion over messages given as a JSON array (as prepared lines hold them).</summary>
    Task<ChatAnswer> CompleteChatAsync(string model, ReadOnlyMemory<byte> messagesJson, ChatAnswerOptions options, CancellationToken cancellationToken);

    /// <summary>Uploads a JSONL of requests for the Batch API.</summary>
    Task<ProviderFile> UploadBatchFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>Starts a batch of chat completions over an uploaded input file (24 h window, half price).</summary>
    Task<ProviderBatch> CreateChatBatchAsync(string inputFileId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    Task<ProviderBatch> GetBatchAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>The same client over another OpenAI-compatible endpoint (vLLM, Ollama...), for evaluation.</summary>
    IModelProvider ForEndpoint(Uri endpoint);

    /// <summary>A client of another configured provider (its own kind, endpoint and credentials), for evaluation.</summary>
    IModelProvider ForProvider(ProviderOptions settings);
}

/// <param name="ResponseFormatJson">A <c>response_format</c> object as JSON (structured output), or null.</param>
public sealed record ChatAnswerOptions(double Temperature = 0, int? Seed = null, int MaxTokens = 100, string? ResponseFormatJson = null);

/// <summary>A batch as the provider reports it.</summary>
/// <param name="Status">validating, in_progress, finalizing, completed, failed, expired, cancelling or cancelled: lower case, whatever case the
/// provider wrote (Azure's batch REST sample shows "Validating"), and Azure's "canceled" read as cancelled.</param>
public sealed record ProviderBatch(string Id, string Status, string? OutputFileId, string? ErrorFileId, int Total, int Completed, int Failed, string? Error)
{
    public bool IsTerminal => Status is "completed" or "failed" or "expired" or "cancelled";

    /// <summary>Reads a batch object; the first five request errors become one message.</summary>
    public static ProviderBatch Parse(JsonElement batch)
    {
        int Count(string name) => batch.TryGetProperty("request_counts", out var counts) && counts.ValueKind == JsonValueKind.Object
            && counts.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
        string? error = null;
        if (batch.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            error = string.Join("; ", data.EnumerateArray().Select(e => ProviderJob.Text(e, "message")).OfType<string>().Take(5));
        }

        var status = ProviderJob.Text(batch, "status")?.ToLowerInvariant() ?? "unknown";
        return new ProviderBatch(ProviderJob.Text(batch, "id") ?? throw new JsonException("A batch without an id."), status == "canceled" ? "cancelled" : status,
            ProviderJob.Text(batch, "output_file_id"), ProviderJob.Text(batch, "error_file_id"), Count("total"), Count("completed"), Count("failed"), error);
    }
}

/// <param name="SystemFingerprint">The emulator marks its answers here.</param>
/// <param name="Model">The model snapshot that answered, as the provider reports it (an alias resolves to a dated snapshot).</param>
/// <param name="FinishReason">Why the answer ended: stop, length, or content_filter (Azure cut it).</param>
public sealed record ChatAnswer(string Text, int PromptTokens, int CompletionTokens, string? SystemFingerprint, string? Model = null, string? FinishReason = null);
