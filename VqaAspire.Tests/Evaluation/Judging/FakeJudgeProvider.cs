using VqaAspire.Api.Providers;

namespace VqaAspire.Tests.Evaluation.Judging;

/// <summary>A provider that answers every chat with a fixed judge verdict and counts the calls; nothing else is supported.</summary>
internal sealed class FakeJudgeProvider(string endpoint, string rating, string snapshot = "gpt-4o-2024-08-06") : IModelProvider
{
    public int Calls { get; private set; }

    public ChatAnswerOptions? LastOptions { get; private set; }

    public string Rating { get; set; } = rating;

    public string Snapshot { get; set; } = snapshot;

    public ProviderOptions Settings { get; } = new() { Kind = "openai-compatible", Endpoint = endpoint };

    /// <summary>A request whose messages hold this text is accepted and never answered (until cancelled): a hung judge.</summary>
    public string? HangOn { get; set; }

    public async Task<ChatAnswer> CompleteChatAsync(string model, ReadOnlyMemory<byte> messagesJson, ChatAnswerOptions options, CancellationToken cancellationToken)
    {
        Calls++;
        LastOptions = options;
        if (HangOn is { } hang && System.Text.Encoding.UTF8.GetString(messagesJson.Span).Contains(hang, StringComparison.Ordinal))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var text = System.Text.Json.JsonSerializer.Serialize(new { rating = Rating, explanation = $"{Rating} because the fake says so." });
        return new ChatAnswer(text, 100, 20, null, Snapshot);
    }

    /// <summary>The providers handed out for other endpoints, each answering with the same rating.</summary>
    public List<FakeJudgeProvider> Others { get; } = [];

    public IModelProvider ForEndpoint(Uri endpoint)
    {
        var other = new FakeJudgeProvider(endpoint.ToString(), Rating, Snapshot);
        Others.Add(other);
        return other;
    }

    public IModelProvider ForProvider(ProviderOptions settings) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>> ListModelIdsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderJob> PauseFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderJob> ResumeFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderFile> UploadFineTuneFileAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderFile?> FindFileAsync(string fileId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<BinaryData> DownloadFileAsync(string fileId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderJob> CreateFineTuneJobAsync(FineTuneJobRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderJob> GetFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ProviderJob>> ListFineTuneJobsAsync(int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ProviderJobEvent>> GetFineTuneEventsAsync(string jobId, string? sinceEventId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ProviderCheckpoint>> GetFineTuneCheckpointsAsync(string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderJob> CancelFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderFile> UploadBatchFileAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderBatch> CreateChatBatchAsync(string inputFileId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProviderBatch> GetBatchAsync(string batchId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
