using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VqaAspire.OpenAIEmulator.Chat;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Batches;

public sealed record BatchRequestCounts(int Total, int Completed, int Failed);

public sealed record BatchError(string Code, string Message, string? Param, int? Line);

public sealed record BatchErrors(IReadOnlyList<BatchError> Data)
{
    public string Object => "list";
}

/// <summary>An OpenAI batch object.</summary>
public sealed class BatchObject
{
    public required string Id { get; init; }

    public string Object => "batch";

    public required string Endpoint { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public BatchErrors? Errors { get; set; }

    public required string InputFileId { get; init; }

    public required string CompletionWindow { get; init; }

    public string Status { get; set; } = "validating";

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? OutputFileId { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorFileId { get; set; }

    public required long CreatedAt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? InProgressAt { get; set; }

    public required long ExpiresAt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? FinalizingAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CompletedAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? FailedAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? ExpiredAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CancellingAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CancelledAt { get; set; }

    public BatchRequestCounts RequestCounts { get; set; } = new(0, 0, 0);

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Metadata { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsTerminal => Status is "completed" or "failed" or "cancelled" or "expired";

    /// <summary>
    /// The batch as it is now, copied under its lock: an answer is serialized after the handler returns,
    /// so the live object could show "completed" with no output file yet.
    /// </summary>
    public BatchObject Snapshot()
    {
        lock (this)
        {
            return (BatchObject)MemberwiseClone();
        }
    }
}

/// <summary>Runs batches of chat completion requests from a JSONL input file into output and error files.</summary>
public sealed class BatchService(ObjectStore store, FileStore files, ChatCompletionService chat, IOptionsMonitor<EmulatorOptions> options)
{
    public const int MaxRequests = 50_000;
    public const long MaxInputBytes = 200L * 1024 * 1024;
    private const string ChatEndpoint = "/v1/chat/completions";

    private readonly ObjectCollection<BatchObject> _batches = store.Collection<BatchObject>("batches", b => b.Id);

    public IEnumerable<BatchObject> All => _batches.All;

    public BatchObject? Find(string id) => _batches.Find(id);

    public BatchObject Create(JsonElement request)
    {
        string Required(string name) =>
            request.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw OpenAIRequestException.Invalid($"Missing required parameter: '{name}'.", name, "missing_required_parameter");

        var inputFileId = Required("input_file_id");
        var endpoint = Required("endpoint");
        var window = Required("completion_window");
        if (endpoint != ChatEndpoint)
        {
            throw OpenAIRequestException.Invalid($"Invalid value for 'endpoint': '{endpoint}'. The emulator runs batches for '{ChatEndpoint}' only.", "endpoint", "invalid_value");
        }

        if (window != "24h")
        {
            throw OpenAIRequestException.Invalid($"Invalid value for 'completion_window': '{window}'. Supported values are: '24h'.", "completion_window", "invalid_value");
        }

        var file = files.Find(inputFileId) ?? throw OpenAIRequestException.Invalid($"No such File object: {inputFileId}", "input_file_id", "file_not_found");
        if (file.Purpose != "batch")
        {
            throw OpenAIRequestException.Invalid($"Invalid 'input_file_id': {inputFileId} has purpose '{file.Purpose}'; a batch input file must have purpose 'batch'.", "input_file_id", "invalid_file_purpose");
        }

        if (file.Bytes > MaxInputBytes)
        {
            throw OpenAIRequestException.Invalid($"The input file is {file.Bytes} bytes; a batch input file may be at most 200 MB.", "input_file_id", "file_too_large");
        }

        Dictionary<string, string>? metadata = null;
        if (request.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            metadata = meta.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        }

        var now = Ids.Now();
        var batch = new BatchObject
        {
            Id = Ids.New("batch_"),
            Endpoint = endpoint,
            InputFileId = inputFileId,
            CompletionWindow = window,
            CreatedAt = now,
            ExpiresAt = now + 24 * 3600,
            Metadata = metadata,
        };
        _batches.Save(batch);
        return batch;
    }

    public BatchObject? Cancel(string id)
    {
        var batch = _batches.Find(id);
        if (batch is null)
        {
            return null;
        }

        lock (batch)
        {
            if (batch.IsTerminal || batch.Status == "cancelling")
            {
                throw OpenAIRequestException.Invalid($"Cannot cancel a batch with status '{batch.Status}'.", "batch_id");
            }

            batch.Status = "cancelling";
            batch.CancellingAt = Ids.Now();
            _batches.Save(batch);
            return batch.Snapshot();
        }
    }

    /// <summary>Runs every batch that has waited its phase time.</summary>
    public async Task AdvanceAsync(CancellationToken cancellationToken)
    {
        var wait = options.CurrentValue.BatchPhaseMilliseconds / 1000.0;
        foreach (var batch in _batches.All.Where(b => !b.IsTerminal).ToList())
        {
            if (batch.Status == "cancelling")
            {
                // Under the lock: a cancel answers with the "cancelling" it set, never a half-seen "cancelled".
                lock (batch)
                {
                    Finish(batch, "cancelled");
                }

                continue;
            }

            if (batch.Status == "validating" && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - batch.CreatedAt >= wait)
            {
                await RunAsync(batch, cancellationToken);
            }
        }
    }

    private async Task RunAsync(BatchObject batch, CancellationToken cancellationToken)
    {
        var lines = new List<(int Line, string CustomId, JsonElement Body)>();
        var errors = new List<BatchError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var documents = new List<JsonDocument>();
        try
        {
            if (files.Find(batch.InputFileId) is null)
            {
                errors.Add(new BatchError("file_not_found", $"The input file {batch.InputFileId} was deleted.", "input_file_id", null));
            }
            else
            {
                using var reader = new StreamReader(files.OpenRead(batch.InputFileId));
                var number = 0;
                while (await reader.ReadLineAsync(cancellationToken) is { } text)
                {
                    number++;
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        continue;
                    }

                    if (ReadLine(text, number, batch.Endpoint, seen, errors) is { } parsed)
                    {
                        documents.Add(parsed.Document);
                        lines.Add((number, parsed.CustomId, parsed.Body));
                    }
                }

                if (lines.Count + errors.Count > MaxRequests)
                {
                    errors.Add(new BatchError("too_many_requests", $"The input file has {lines.Count + errors.Count} requests; a batch may hold at most {MaxRequests}.", null, null));
                }
                else if (lines.Count == 0 && errors.Count == 0)
                {
                    errors.Add(new BatchError("empty_file", "The input file has no requests.", null, null));
                }
            }

            if (errors.Count > 0)
            {
                lock (batch)
                {
                    batch.Errors = new BatchErrors(errors);
                    Finish(batch, "failed");
                }

                return;
            }

            lock (batch)
            {
                if (batch.Status != "validating")
                {
                    return;
                }

                batch.Status = "in_progress";
                batch.InProgressAt = Ids.Now();
                batch.RequestCounts = new BatchRequestCounts(lines.Count, 0, 0);
                _batches.Save(batch);
            }

            var output = new StringBuilder();
            var errorOutput = new StringBuilder();
            int completed = 0, failed = 0;
            foreach (var (_, customId, body) in lines)
            {
                if (batch.Status == "cancelling")
                {
                    break;
                }

                var requestId = Ids.New("req_", 32);
                try
                {
                    var completion = chat.Complete(body);
                    output.AppendLine(JsonSerializer.Serialize(new
                    {
                        id = Ids.New("batch_req_"),
                        custom_id = customId,
                        response = new { status_code = 200, request_id = requestId, body = completion },
                        error = (object?)null,
                    }, ObjectStore.Json));
                    completed++;
                }
                catch (OpenAIRequestException e)
                {
                    errorOutput.AppendLine(JsonSerializer.Serialize(new
                    {
                        id = Ids.New("batch_req_"),
                        custom_id = customId,
                        response = new { status_code = e.StatusCode, request_id = requestId, body = new OpenAIError(e.ToDetail()) },
                        error = (object?)null,
                    }, ObjectStore.Json));
                    failed++;
                }
            }

            lock (batch)
            {
                batch.RequestCounts = new BatchRequestCounts(lines.Count, completed, failed);
                if (batch.Status == "cancelling")
                {
                    Finish(batch, "cancelled");
                    return;
                }

                batch.Status = "finalizing";
                batch.FinalizingAt = Ids.Now();
                _batches.Save(batch);
            }

            if (output.Length > 0)
            {
                batch.OutputFileId = (await files.CreateAsync($"{batch.Id}_output.jsonl", "batch_output", Encoding.UTF8.GetBytes(output.ToString()), cancellationToken)).Id;
            }

            if (errorOutput.Length > 0)
            {
                batch.ErrorFileId = (await files.CreateAsync($"{batch.Id}_error.jsonl", "batch_output", Encoding.UTF8.GetBytes(errorOutput.ToString()), cancellationToken)).Id;
            }

            lock (batch)
            {
                Finish(batch, "completed");
            }
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    private static (JsonDocument Document, string CustomId, JsonElement Body)? ReadLine(string text, int number, string endpoint, HashSet<string> seen, List<BatchError> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            errors.Add(new BatchError("invalid_json_line", $"This line is not parseable as valid JSON. ({e.Message})", null, number));
            return null;
        }

        var root = document.RootElement;
        string? Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var customId = Field("custom_id");
        BatchError? error = null;
        if (customId is null)
        {
            error = new BatchError("missing_required_parameter", "Missing required parameter: 'custom_id'.", "custom_id", number);
        }
        else if (!seen.Add(customId))
        {
            error = new BatchError("duplicate_custom_id", $"The custom_id '{customId}' is used by more than one request; each must be unique.", "custom_id", number);
        }
        else if (Field("method") != "POST")
        {
            error = new BatchError("invalid_method", "Invalid 'method': only POST is supported.", "method", number);
        }
        else if (Field("url") != endpoint)
        {
            error = new BatchError("mismatched_endpoint", $"The url '{Field("url")}' does not match the batch's endpoint '{endpoint}'.", "url", number);
        }
        else if (!root.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            error = new BatchError("missing_required_parameter", "Missing required parameter: 'body'.", "body", number);
        }

        if (error is not null)
        {
            errors.Add(error);
            document.Dispose();
            return null;
        }

        return (document, customId!, root.GetProperty("body"));
    }

    private void Finish(BatchObject batch, string status)
    {
        var now = Ids.Now();
        batch.Status = status;
        switch (status)
        {
            case "completed":
                batch.CompletedAt = now;
                break;
            case "failed":
                batch.FailedAt = now;
                break;
            case "cancelled":
                batch.CancelledAt = now;
                break;
        }

        _batches.Save(batch);
    }
}

/// <summary>Starts waiting batches every few milliseconds.</summary>
public sealed class BatchRunner(BatchService batches) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await batches.AdvanceAsync(stoppingToken);
        }
    }
}

public static class BatchEndpoints
{
    /// <summary>Maps <c>/batches</c>: create, list, retrieve, cancel.</summary>
    public static RouteGroupBuilder MapBatchEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/batches", async (HttpRequest request, BatchService batches, CancellationToken cancellationToken) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return Results.Ok(batches.Create(body.RootElement).Snapshot());
        }).WithName("CreateBatch");
        group.MapGet("/batches", (BatchService batches, string? after, int? limit) =>
            Results.Ok(PagedList<BatchObject>.Page(
                batches.All.Select(b => b.Snapshot()).OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id, StringComparer.Ordinal), b => b.Id, after, limit, 20, 100)))
            .WithName("ListBatches");
        group.MapGet("/batches/{batchId}", (string batchId, BatchService batches) =>
            batches.Find(batchId) is { } batch ? Results.Ok(batch.Snapshot()) : NoSuchBatch(batchId)).WithName("RetrieveBatch");
        group.MapPost("/batches/{batchId}/cancel", (string batchId, BatchService batches) =>
            batches.Cancel(batchId) is { } batch ? Results.Ok(batch) : NoSuchBatch(batchId)).WithName("CancelBatch");
        return group;
    }

    private static IResult NoSuchBatch(string batchId) => OpenAIError.NotFound($"No batch found with id '{batchId}'.", "batch_id");
}
