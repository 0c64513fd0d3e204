using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VqaAspire.OpenAIEmulator.Chat;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Batches;

/// <summary>Runs batches of chat completion requests from a JSONL input file into output and error files.</summary>
public sealed class BatchService(ObjectStore store, FileStore files, ChatCompletionService chat, Azure.AzureBatchModels azureModels, IOptionsMonitor<EmulatorOptions> options, TimeProvider time)
{
    public const int MaxRequests = 50_000;
    public const long MaxInputBytes = 200L * 1024 * 1024;
    private const string ChatEndpoint = "/v1/chat/completions";

    /// <summary>Azure's batch object names its endpoint without the version (Azure's batch article).</summary>
    public const string AzureChatEndpoint = "/chat/completions";

    private readonly ObjectCollection<BatchObject> _batches = store.Collection<BatchObject>("batches", b => b.Id);

    public IEnumerable<BatchObject> All => _batches.All;

    public BatchObject? Find(string id) => _batches.Find(id);

    /// <param name="azure">Created on Azure's surface: its endpoint may also be <see cref="AzureChatEndpoint"/>.</param>
    /// <param name="failWith">Errors found at creation (Azure's deployment checks): the batch is created failed with them.</param>
    public BatchObject Create(JsonElement request, bool azure = false, IReadOnlyList<BatchError>? failWith = null)
    {
        string Required(string name) =>
            request.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw OpenAIRequestException.Invalid($"Missing required parameter: '{name}'.", name, "missing_required_parameter");

        var inputFileId = Required("input_file_id");
        var endpoint = Required("endpoint");
        var window = Required("completion_window");
        if (endpoint != ChatEndpoint && !(azure && endpoint == AzureChatEndpoint))
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

        var now = Now();
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
        if (failWith is { Count: > 0 })
        {
            batch.Errors = new BatchErrors([.. failWith]);
            batch.FailedAt = now;
            batch.Status = "failed";
        }

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
            batch.CancellingAt = Now();
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

            if (batch.Status == "validating" && time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0 - batch.CreatedAt >= wait)
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

                    if (BatchInputReader.ReadLine(text, number, batch.Endpoint, seen, errors) is { } parsed)
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
                batch.InProgressAt = Now();
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
                    var completion = chat.Complete(azureModels.Rewrite(batch.Id, body));
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
                batch.FinalizingAt = Now();
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

    private void Finish(BatchObject batch, string status)
    {
        var now = Now();
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

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();
}
