using VqaAspire.Api.Providers;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// A provider whose chat completions (an evaluation's answers and the judge's verdicts) each end within a time limit:
/// an endpoint that accepts and never answers fails the request with a <see cref="TimeoutException"/> instead of
/// holding the evaluation forever. Every other call passes through unchanged (uploads may rightly take long).
/// </summary>
public sealed class TimeLimitedProvider(IModelProvider inner, TimeSpan limit) : IModelProvider
{
    public ProviderOptions Settings => inner.Settings;

    public TimeSpan Limit => limit;

    public async Task<ChatAnswer> CompleteChatAsync(string model, ReadOnlyMemory<byte> messagesJson, ChatAnswerOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            return await inner.CompleteChatAsync(model, messagesJson, options, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{model} gave no answer within {limit} (Evaluation:RequestTimeout).");
        }
    }

    public IModelProvider ForEndpoint(Uri endpoint) => new TimeLimitedProvider(inner.ForEndpoint(endpoint), limit);

    public IModelProvider ForProvider(ProviderOptions settings) => new TimeLimitedProvider(inner.ForProvider(settings), limit);

    public Task<IReadOnlyList<string>> ListModelIdsAsync(CancellationToken cancellationToken) => inner.ListModelIdsAsync(cancellationToken);

    public Task<ProviderFile> UploadFineTuneFileAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken) =>
        inner.UploadFineTuneFileAsync(path, progress, cancellationToken);

    public Task<ProviderFile?> FindFileAsync(string fileId, CancellationToken cancellationToken) => inner.FindFileAsync(fileId, cancellationToken);

    public Task<BinaryData> DownloadFileAsync(string fileId, CancellationToken cancellationToken) => inner.DownloadFileAsync(fileId, cancellationToken);

    public Task<ProviderJob> CreateFineTuneJobAsync(FineTuneJobRequest request, CancellationToken cancellationToken) => inner.CreateFineTuneJobAsync(request, cancellationToken);

    public Task<ProviderJob> PauseFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => inner.PauseFineTuneJobAsync(jobId, cancellationToken);

    public Task<ProviderJob> ResumeFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => inner.ResumeFineTuneJobAsync(jobId, cancellationToken);

    public Task<ProviderJob> GetFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => inner.GetFineTuneJobAsync(jobId, cancellationToken);

    public Task<IReadOnlyList<ProviderJob>> ListFineTuneJobsAsync(int limit, CancellationToken cancellationToken) => inner.ListFineTuneJobsAsync(limit, cancellationToken);

    public Task<IReadOnlyList<ProviderJobEvent>> GetFineTuneEventsAsync(string jobId, string? sinceEventId, CancellationToken cancellationToken) =>
        inner.GetFineTuneEventsAsync(jobId, sinceEventId, cancellationToken);

    public Task<IReadOnlyList<ProviderCheckpoint>> GetFineTuneCheckpointsAsync(string jobId, CancellationToken cancellationToken) =>
        inner.GetFineTuneCheckpointsAsync(jobId, cancellationToken);

    public Task<ProviderJob> CancelFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => inner.CancelFineTuneJobAsync(jobId, cancellationToken);

    public Task<ProviderFile> UploadBatchFileAsync(string path, CancellationToken cancellationToken) => inner.UploadBatchFileAsync(path, cancellationToken);

    public Task<ProviderBatch> CreateChatBatchAsync(string inputFileId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        inner.CreateChatBatchAsync(inputFileId, metadata, cancellationToken);

    public Task<ProviderBatch> GetBatchAsync(string batchId, CancellationToken cancellationToken) => inner.GetBatchAsync(batchId, cancellationToken);
}
