using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Asks the pending test questions through the Batch API: input files of at most 50,000 requests, uploaded, run,
/// followed to the end, and their output collected into the same answers file. The batch ids are kept in the
/// evaluation's folder, so a restart follows the batches already created instead of paying for them twice.
/// </summary>
public sealed class BatchAnswerer(IOptions<EvaluationOptions> options, ILogger<BatchAnswerer> logger) : IEvaluationAnswerer
{
    /// <summary>The Batch API's limits per input file.</summary>
    public const int MaxBatchRequests = 50_000;
    public const long MaxBatchBytes = 190L * 1024 * 1024;

    public async Task AnswerAsync(EvaluationSession session, EvaluationModel model, IModelProvider client, IReadOnlySet<int> pending, Action answered,
        CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.batch");
        span?.SetTag(PipelineTelemetry.RunIdTag, session.Evaluation.RunId);
        var log = session.Log;
        var statePath = Path.Combine(session.Folder, $"batches-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(model.Name)))[..12]}.json");
        var batchIds = File.Exists(statePath) ? JsonSerializer.Deserialize<List<string>>(await File.ReadAllTextAsync(statePath, cancellationToken))! : [];
        if (batchIds.Count == 0 && pending.Count > 0)
        {
            foreach (var input in await WriteBatchInputsAsync(session, model, pending, cancellationToken))
            {
                var file = await client.UploadBatchFileAsync(input, cancellationToken);
                await WaitUntilProcessedAsync(client, file, cancellationToken);
                var batch = await client.CreateChatBatchAsync(file.Id,
                    new Dictionary<string, string> { ["vqa_evaluation_id"] = session.Evaluation.Id, ["vqa_model"] = model.Name }, cancellationToken);
                batchIds.Add(batch.Id);
                await File.WriteAllTextAsync(statePath, JsonSerializer.Serialize(batchIds), cancellationToken);
            }
        }

        foreach (var batchId in batchIds)
        {
            var batch = await client.GetBatchAsync(batchId, cancellationToken);
            while (!batch.IsTerminal)
            {
                await Task.Delay(options.Value.BatchPollInterval, cancellationToken);
                batch = await client.GetBatchAsync(batchId, cancellationToken);
            }

            span?.AddEvent(new ActivityEvent("batch_done", tags: new ActivityTagsCollection { ["vqa.batch_id"] = batchId, ["vqa.batch_status"] = batch.Status }));
            if (batch.OutputFileId is { } output)
            {
                await CollectBatchFileAsync(client, output, model, log, cancellationToken);
            }

            if (batch.ErrorFileId is { } errors)
            {
                await CollectBatchFileAsync(client, errors, model, log, cancellationToken);
            }

            if (batch.Status != "completed")
            {
                logger.LogWarning("Batch {BatchId} ended {Status}: {Error}", batchId, batch.Status, batch.Error);
            }
        }

        foreach (var example in session.Examples.Where(e => pending.Contains(e.Line) && log.Find(model.Name, e.ExampleId) is null))
        {
            await log.AppendAsync(new RecordedAnswer(model.Name, example.ExampleId, null, "Not in the batch's output.", 0, 0, false), cancellationToken);
        }
    }

    /// <summary>
    /// Azure screens an upload before a batch may use it (its batch article checks the file's status until it is
    /// processed): waits for that, up to Provider:Azure:FileProcessingTimeout. Providers without statuses pass at once.
    /// </summary>
    private async Task WaitUntilProcessedAsync(IModelProvider client, ProviderFile file, CancellationToken cancellationToken)
    {
        if (!client.Settings.IsAzure)
        {
            return;
        }

        var timeout = client.Settings.Azure.FileProcessingTimeout;
        var waited = Stopwatch.StartNew();
        var status = file.Status;
        while (status is "pending" or "uploaded" or "running")
        {
            if (waited.Elapsed > timeout)
            {
                throw new InvalidOperationException($"The batch input file {file.Id} was not processed within {timeout} (status: {status}).");
            }

            await Task.Delay(options.Value.BatchPollInterval, cancellationToken);
            status = (await client.FindFileAsync(file.Id, cancellationToken))?.Status ?? "deleted";
        }

        if (status is "error" or "deleted" or "deleting")
        {
            throw new InvalidOperationException($"Azure OpenAI did not accept the batch input file {file.Id} ({status}).");
        }
    }

    /// <summary>Writes the batch input files; zero-shot leaves the few-shot pairs out, as the sync path does.</summary>
    internal static async Task<List<string>> WriteBatchInputsAsync(EvaluationSession session, EvaluationModel model, IReadOnlySet<int> pending,
        CancellationToken cancellationToken)
    {
        var files = new List<string>();
        FileStream? stream = null;
        Utf8JsonWriter? writer = null;
        int requests = 0;
        try
        {
            await foreach (var item in TestFileReader.ReadPendingAsync(session.TestFile, pending, session.Settings.ZeroShot, cancellationToken))
            {
                if (stream is null || requests >= MaxBatchRequests || stream.Length + item.Messages.Length > MaxBatchBytes)
                {
                    if (writer is not null)
                    {
                        await writer.DisposeAsync();
                        await stream!.DisposeAsync();
                    }

                    var path = Path.Combine(session.Folder, $"batch-input-{files.Count + 1}-{Guid.NewGuid().ToString("N")[..6]}.jsonl");
                    files.Add(path);
                    stream = File.Create(path);
                    writer = new Utf8JsonWriter(stream);
                    requests = 0;
                }

                writer!.WriteStartObject();
                writer.WriteString("custom_id", session.Examples[item.Line - 1].ExampleId);
                writer.WriteString("method", "POST");
                writer.WriteString("url", "/v1/chat/completions");
                writer.WriteStartObject("body");
                writer.WriteString("model", model.Model);
                writer.WritePropertyName("messages");
                writer.WriteRawValue(item.Messages, skipInputValidation: true);
                writer.WriteNumber("temperature", 0);
                writer.WriteNumber("max_tokens", 100);
                writer.WriteNumber("seed", 42);
                writer.WriteEndObject();
                writer.WriteEndObject();
                await writer.FlushAsync(cancellationToken);
                writer.Reset();
                stream!.WriteByte((byte)'\n');
                requests++;
            }
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }

            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }

        return files;
    }

    /// <summary>A batch line refused by the content filter: its <c>error</c>, or its response's error body, says content_filter.</summary>
    internal static string? FilteredReason(JsonElement line, JsonElement response) =>
        (line.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? ContentFilterRefusal.FromError(error) : null)
        ?? (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object ? ContentFilterRefusal.FromError(body) : null);

    /// <summary>Reads a batch output or error file: one line per request, its answer or its error, keyed by custom_id.</summary>
    private static async Task CollectBatchFileAsync(IModelProvider client, string fileId, EvaluationModel model, AnswerLog log, CancellationToken cancellationToken)
    {
        var content = (await client.DownloadFileAsync(fileId, cancellationToken)).ToString();
        foreach (var line in content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var exampleId = root.GetProperty("custom_id").GetString()!;
            if (log.IsAnswered(model.Name, exampleId))
            {
                continue;
            }

            var response = root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            if (response.ValueKind == JsonValueKind.Object && response.GetProperty("status_code").GetInt32() == 200)
            {
                var body = response.GetProperty("body");
                var text = body.GetProperty("choices")[0].GetProperty("message").TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
                int Usage(string name) => body.TryGetProperty("usage", out var u) && u.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
                var emulated = body.TryGetProperty("system_fingerprint", out var fp) && fp.ValueKind == JsonValueKind.String && fp.GetString() == EvaluationRunner.EmulatorFingerprint;
                var snapshot = body.TryGetProperty("model", out var sm) && sm.ValueKind == JsonValueKind.String ? sm.GetString() : null;
                await log.AppendAsync(new RecordedAnswer(model.Name, exampleId, text.Trim(), null, Usage("prompt_tokens"), Usage("completion_tokens"), emulated, snapshot),
                    cancellationToken);
            }
            else if (FilteredReason(root, response) is { } refusal)
            {
                await log.AppendAsync(new RecordedAnswer(model.Name, exampleId, null, refusal, 0, 0, false, Filtered: true), cancellationToken);
            }
            else
            {
                var reason = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString()
                    : response.ValueKind == JsonValueKind.Object ? $"HTTP {response.GetProperty("status_code").GetInt32()}" : "failed in the batch";
                await log.AppendAsync(new RecordedAnswer(model.Name, exampleId, null, reason, 0, 0, false), cancellationToken);
            }
        }
    }
}
