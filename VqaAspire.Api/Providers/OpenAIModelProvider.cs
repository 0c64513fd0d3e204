using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Files;
using OpenAI.FineTuning;
using VqaAspire.Api.Providers.Azure;

namespace VqaAspire.Api.Providers;

/// <summary><see cref="IModelProvider"/> over the official OpenAI SDK, for OpenAI, Azure OpenAI (v1 route), the emulator and compatible servers.</summary>
public sealed class OpenAIModelProvider : IModelProvider
{
    /// <summary>The Uploads API takes parts of at most 64 MB.</summary>
    public const int UploadPartBytes = 64 * 1024 * 1024;

    private const int EventsPageSize = 100;
    private const int MaxEventPages = 50;

    private readonly Lazy<OpenAIClient> _client;

    public OpenAIModelProvider(IOptions<ProviderOptions> options)
        : this(options, transport: null)
    {
    }

    /// <param name="transport">The HTTP transport; the default one unless a test trusts its own certificate.</param>
    internal OpenAIModelProvider(IOptions<ProviderOptions> options, PipelineTransport? transport)
    {
        Settings = options.Value;
        // Built on first use, so settings that cannot work surface as a status, not a failed start.
        _client = new Lazy<OpenAIClient>(() => Settings.Problem() is { } problem
            ? throw new InvalidOperationException(problem)
            : CreateClient(Settings, transport));
    }

    public ProviderOptions Settings { get; }

    private OpenAIFileClient Files => _client.Value.GetOpenAIFileClient();

    private FineTuningClient FineTuning => _client.Value.GetFineTuningClient();

    public async Task<IReadOnlyList<string>> ListModelIdsAsync(CancellationToken cancellationToken)
    {
        var models = await _client.Value.GetOpenAIModelClient().GetModelsAsync(cancellationToken);
        return [.. models.Value.Select(m => m.Id)];
    }

    public async Task<ProviderFile> UploadFineTuneFileAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length <= Settings.FilesApiMaxBytes && Settings.ProviderKind == ProviderKind.Azure)
        {
            var file = await ProviderFileUploads.RawAsync(Files, path, "fine-tune", cancellationToken);
            progress?.Report(length);
            return file;
        }

        if (length <= Settings.FilesApiMaxBytes)
        {
            await using var stream = File.OpenRead(path);
            var uploaded = await Files.UploadFileAsync(stream, Path.GetFileName(path), FileUploadPurpose.FineTune, cancellationToken);
            progress?.Report(length);
            return new ProviderFile(uploaded.Value.Id, uploaded.Value.SizeInBytes ?? length, null);
        }

        return await ProviderFileUploads.InPartsAsync(Files, path, length, progress, cancellationToken);
    }

    public async Task<ProviderFile?> FindFileAsync(string fileId, CancellationToken cancellationToken)
    {
        try
        {
            // Read raw: Azure's statuses (pending...) are not the SDK's.
            var result = await Files.GetFileAsync(fileId, new RequestOptions { CancellationToken = cancellationToken });
            var file = ReadElement(result.GetRawResponse());
            return new ProviderFile(ProviderJob.Text(file, "id") ?? fileId,
                file.TryGetProperty("bytes", out var bytes) && bytes.ValueKind == JsonValueKind.Number ? bytes.GetInt64() : 0,
                ProviderJob.Text(file, "status"), ProviderJob.Text(file, "status_details"));
        }
        catch (ClientResultException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<BinaryData> DownloadFileAsync(string fileId, CancellationToken cancellationToken) =>
        (await Files.DownloadFileAsync(fileId, cancellationToken)).Value;

    public async Task<ProviderJob> CreateFineTuneJobAsync(FineTuneJobRequest request, CancellationToken cancellationToken)
    {
        var hyperparameters = new JsonObject
        {
            ["n_epochs"] = request.Epochs is { } e ? e : "auto",
            ["batch_size"] = request.BatchSize is { } b ? b : "auto",
            ["learning_rate_multiplier"] = request.LearningRateMultiplier is { } l ? l : "auto",
        };
        var body = new JsonObject
        {
            ["model"] = request.BaseModel,
            ["training_file"] = request.TrainingFileId,
            ["method"] = new JsonObject { ["type"] = "supervised", ["supervised"] = new JsonObject { ["hyperparameters"] = hyperparameters } },
            ["metadata"] = new JsonObject([.. request.Metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
        };
        if (request.ValidationFileId is not null)
        {
            body["validation_file"] = request.ValidationFileId;
        }

        if (request.Suffix is not null)
        {
            body["suffix"] = request.Suffix;
        }

        if (request.Seed is { } seed)
        {
            body["seed"] = seed;
        }

        if (request.WandbProject is not null)
        {
            body["integrations"] = new JsonArray(new JsonObject { ["type"] = "wandb", ["wandb"] = new JsonObject { ["project"] = request.WandbProject } });
        }

        if (Settings.ProviderKind == ProviderKind.Azure)
        {
            // Azure OpenAI asks where the training runs, as trainingType, spelled as its samples spell it.
            var trainingType = request.TrainingType ?? Settings.AzureTrainingType;
            body["trainingType"] = AzureRules.TrainingType(trainingType) ?? trainingType;
        }

        var job = await FineTuning.FineTuneAsync(Json(body), waitUntilCompleted: false, new RequestOptions { CancellationToken = cancellationToken });
        return ProviderJob.Parse(ReadElement(job.GetRawResponse()));
    }

    public async Task<ProviderJob> GetFineTuneJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await FineTuningJob.RehydrateAsync(FineTuning, jobId, new RequestOptions { CancellationToken = cancellationToken });
        return ProviderJob.Parse(ReadElement(job.GetRawResponse()));
    }

    public async Task<IReadOnlyList<ProviderJob>> ListFineTuneJobsAsync(int limit, CancellationToken cancellationToken)
    {
        var jobs = new List<ProviderJob>();
        await foreach (var page in FineTuning.GetJobsAsync(new FineTuningJobCollectionOptions { PageSize = Math.Min(limit, 100) }, cancellationToken).GetRawPagesAsync())
        {
            jobs.AddRange(ReadElement(page.GetRawResponse()).GetProperty("data").EnumerateArray().Select(ProviderJob.Parse));
            if (jobs.Count >= limit)
            {
                break;
            }
        }

        return [.. jobs.Take(limit)];
    }

    public async Task<IReadOnlyList<ProviderJobEvent>> GetFineTuneEventsAsync(string jobId, string? sinceEventId, CancellationToken cancellationToken)
    {
        // OpenAI lists events newest first; pages go back in time until the last event already seen.
        var job = await FineTuningJob.RehydrateAsync(FineTuning, jobId, new RequestOptions { CancellationToken = cancellationToken });
        var newest = new List<ProviderJobEvent>();
        var pages = 0;
        await foreach (var page in job.GetEventsAsync(null, EventsPageSize, new RequestOptions { CancellationToken = cancellationToken }).GetRawPagesAsync())
        {
            foreach (var e in ReadElement(page.GetRawResponse()).GetProperty("data").EnumerateArray().Select(ProviderJobEvent.Parse))
            {
                if (e.Id == sinceEventId)
                {
                    newest.Reverse();
                    return newest;
                }

                newest.Add(e);
            }

            if (++pages >= MaxEventPages)
            {
                break;
            }
        }

        newest.Reverse();
        return newest;
    }

    public async Task<IReadOnlyList<ProviderCheckpoint>> GetFineTuneCheckpointsAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await FineTuningJob.RehydrateAsync(FineTuning, jobId, new RequestOptions { CancellationToken = cancellationToken });
        var checkpoints = new List<ProviderCheckpoint>();
        await foreach (var page in job.GetCheckpointsAsync(null, 100, new RequestOptions { CancellationToken = cancellationToken }).GetRawPagesAsync())
        {
            checkpoints.AddRange(ReadElement(page.GetRawResponse()).GetProperty("data").EnumerateArray().Select(ProviderCheckpoint.Parse));
        }

        return [.. checkpoints.OrderBy(c => c.Step)];
    }

    public async Task<ProviderJob> CancelFineTuneJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await FineTuningJob.RehydrateAsync(FineTuning, jobId, new RequestOptions { CancellationToken = cancellationToken });
        var result = await job.CancelAsync(new RequestOptions { CancellationToken = cancellationToken });
        return ProviderJob.Parse(ReadElement(result.GetRawResponse()));
    }

    public Task<ProviderJob> PauseFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => PostJobActionAsync(jobId, "pause", cancellationToken);

    public Task<ProviderJob> ResumeFineTuneJobAsync(string jobId, CancellationToken cancellationToken) => PostJobActionAsync(jobId, "resume", cancellationToken);

    /// <summary>Azure's <c>POST /fine_tuning/jobs/{id}/pause|resume</c>, which the OpenAI SDK has no method for, through the SDK's pipeline (key, retries, metrics).</summary>
    private async Task<ProviderJob> PostJobActionAsync(string jobId, string action, CancellationToken cancellationToken)
    {
        if (Settings.ProviderKind != ProviderKind.Azure)
        {
            throw new NotSupportedException($"Only Azure OpenAI can {action} a fine-tuning job.");
        }

        var pipeline = _client.Value.Pipeline;
        using var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri($"{Settings.ResolveEndpoint().ToString().TrimEnd('/')}/fine_tuning/jobs/{Uri.EscapeDataString(jobId)}/{action}");
        message.Request.Headers.Set("Accept", "application/json");
        message.Apply(new RequestOptions { CancellationToken = cancellationToken });
        message.ResponseClassifier = PipelineMessageClassifier.Create([200]);
        await pipeline.SendAsync(message);
        return message.Response!.IsError ? throw new ClientResultException(message.Response) : ProviderJob.Parse(ReadElement(message.Response));
    }

    public async Task<ChatAnswer> CompleteChatAsync(string model, ReadOnlyMemory<byte> messagesJson, ChatAnswerOptions options, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(messagesJson.Length + 256);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WritePropertyName("messages");
            writer.WriteRawValue(messagesJson.Span, skipInputValidation: true);
            writer.WriteNumber("temperature", options.Temperature);
            // max_tokens, not max_completion_tokens: Azure, vLLM and Ollama all take it.
            writer.WriteNumber("max_tokens", options.MaxTokens);
            if (options.Seed is { } seed)
            {
                writer.WriteNumber("seed", seed);
            }

            if (options.ResponseFormatJson is { } format)
            {
                writer.WritePropertyName("response_format");
                writer.WriteRawValue(format);
            }

            writer.WriteEndObject();
        }

        var result = await _client.Value.GetChatClient(model).CompleteChatAsync(BinaryContent.Create(BinaryData.FromBytes(body.WrittenMemory)),
            new RequestOptions { CancellationToken = cancellationToken });
        using var json = JsonDocument.Parse(result.GetRawResponse().Content);
        var root = json.RootElement;
        var text = root.GetProperty("choices")[0].GetProperty("message").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : "";
        int Usage(string name) => root.TryGetProperty("usage", out var usage) && usage.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
        return new ChatAnswer(text, Usage("prompt_tokens"), Usage("completion_tokens"), ProviderJob.Text(root, "system_fingerprint"), ProviderJob.Text(root, "model"),
            ProviderJob.Text(root.GetProperty("choices")[0], "finish_reason"));
    }

    public async Task<ProviderFile> UploadBatchFileAsync(string path, CancellationToken cancellationToken)
    {
        if (Settings.ProviderKind == ProviderKind.Azure)
        {
            // Azure keeps 500 batch files per resource unless they expire (then 10,000): 14 days, the shortest it takes.
            return await ProviderFileUploads.RawAsync(Files, path, "batch", cancellationToken, AzureBatchFilesExpireAfterSeconds);
        }

        await using var stream = File.OpenRead(path);
        var uploaded = await Files.UploadFileAsync(stream, Path.GetFileName(path), FileUploadPurpose.Batch, cancellationToken);
        return new ProviderFile(uploaded.Value.Id, uploaded.Value.SizeInBytes ?? stream.Length, null);
    }

    public async Task<ProviderBatch> CreateChatBatchAsync(string inputFileId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var azure = Settings.ProviderKind == ProviderKind.Azure;
        var body = new JsonObject
        {
            ["input_file_id"] = inputFileId,
            // Azure's batch article names the endpoint without the version; its input lines keep /v1/chat/completions.
            ["endpoint"] = azure ? "/chat/completions" : "/v1/chat/completions",
            ["completion_window"] = "24h",
            ["metadata"] = new JsonObject([.. metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
        };
        if (azure)
        {
            // Output files count against the same 500-file limit unless they expire (Azure's batch article).
            body["output_expires_after"] = new JsonObject { ["seconds"] = AzureBatchFilesExpireAfterSeconds, ["anchor"] = "created_at" };
        }

        var operation = await _client.Value.GetBatchClient().CreateBatchAsync(Json(body), waitUntilCompleted: false, new RequestOptions { CancellationToken = cancellationToken });
        return ProviderBatch.Parse(ReadElement(operation.GetRawResponse()));
    }

    public async Task<ProviderBatch> GetBatchAsync(string batchId, CancellationToken cancellationToken)
    {
        var result = await _client.Value.GetBatchClient().GetBatchAsync(batchId, new RequestOptions { CancellationToken = cancellationToken });
        return ProviderBatch.Parse(ReadElement(result.GetRawResponse()));
    }

    public IModelProvider ForEndpoint(Uri endpoint) =>
        new OpenAIModelProvider(Options.Create(new ProviderOptions { Kind = "openai-compatible", Endpoint = endpoint.ToString(), MaxRetries = Settings.MaxRetries }));

    public IModelProvider ForProvider(ProviderOptions settings) => new OpenAIModelProvider(Options.Create(settings));

    /// <param name="transport">The HTTP transport; the default one unless a test trusts its own certificate.</param>
    internal static OpenAIClient CreateClient(ProviderOptions settings, PipelineTransport? transport = null)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = settings.ResolveEndpoint(),
            // 429 and 5xx are retried with backoff, honouring Retry-After; then the step fails, never the api.
            RetryPolicy = new ClientRetryPolicy(settings.MaxRetries),
            NetworkTimeout = TimeSpan.FromMinutes(10),
        };
        if (transport is not null)
        {
            options.Transport = transport;
        }

        options.AddPolicy(RetriesSpentPolicy.Instance, PipelinePosition.PerCall);
        options.AddPolicy(ProviderMetricsPolicy.Requests, PipelinePosition.PerCall);
        options.AddPolicy(ProviderMetricsPolicy.Attempts, PipelinePosition.PerTry);
        if (settings.ProviderKind == ProviderKind.Azure && settings.Azure.UsesEntraId)
        {
            // Entra ID, chosen by Provider:Azure:Auth: the app's managed identity in Azure, the developer's az login locally. A key, if set, is not sent.
            return new OpenAIClient(new BearerTokenPolicy(AzureCredentials.Create(settings.Azure), AzureCognitiveServicesScope), options);
        }

        // Local servers accept any key, but the SDK insists on one.
        var key = string.IsNullOrWhiteSpace(settings.ApiKey) ? "no-key" : settings.ApiKey;
        if (settings.ProviderKind == ProviderKind.Azure)
        {
            // Azure OpenAI authenticates keys through the api-key header.
            options.AddPolicy(new AzureApiKeyPolicy(key), PipelinePosition.PerCall);
        }

        return new OpenAIClient(new ApiKeyCredential(key), options);
    }

    /// <summary>Azure's batch article: batch files may expire after 1,209,600 to 2,592,000 seconds (14 to 30 days); 14 here.</summary>
    public const long AzureBatchFilesExpireAfterSeconds = 1_209_600;

    /// <summary>The token scope of Azure OpenAI for Entra ID.</summary>
    public const string AzureCognitiveServicesScope = "https://cognitiveservices.azure.com/.default";

    internal static BinaryContent Json(JsonNode body) => BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));

    internal static JsonNode Read(ClientResult result) => JsonNode.Parse(result.GetRawResponse().Content.ToString())!;

    internal static JsonElement ReadElement(PipelineResponse response) => JsonDocument.Parse(response.Content).RootElement.Clone();
}
