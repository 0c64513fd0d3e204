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
}
