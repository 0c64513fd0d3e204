using System.Collections.Concurrent;
using System.ClientModel;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Evaluation;

/// <summary>A test example's truth, from the prepared <c>test.examples.jsonl</c>.</summary>
public sealed record TestExample(int Line, string ExampleId, string Question, string Truth, IReadOnlyList<string> AcceptedAnswers, string Kind, string? ImageCacheId)
{
    public bool IsYesNo => Kind == nameof(QuestionKind.YesNo) || QuestionKinds.IsYesNo(Truth);
}

/// <summary>Where an evaluation stands.</summary>
public readonly record struct EvaluationProgress(int Done, int Total, string Message);

/// <summary>
/// Answers a run's test set with each model (the same system prompt and few-shot pairs as training, or zero-shot),
/// under a concurrency bound and client-side request and token limits; records every answer as it arrives; then
/// grades open-ended answers with the judge and scores every model by the same rules.
/// </summary>
public sealed class EvaluationRunner(IModelProvider provider, JudgeService judge, WorkspaceStorage workspace, IOptions<PricingOptions> pricing,
    IOptions<EvaluationOptions> options, ILogger<EvaluationRunner> logger)
{
    /// <summary>The Batch API's limits per input file.</summary>
    public const int MaxBatchRequests = 50_000;
    public const long MaxBatchBytes = 190L * 1024 * 1024;

    public const string EmulatorFingerprint = "fp_vqaaspire_emulator";

    private readonly ConcurrentDictionary<string, IModelProvider> _endpoints = new();

    public static string[] Folder(string runId, string evaluationId) => ["runs", runId, "evaluations", evaluationId];

    public async Task<EvaluationSummary> RunAsync(EvaluationView evaluation, IProgress<EvaluationProgress> progress, CancellationToken cancellationToken)
    {
        var folder = workspace.Folder(Folder(evaluation.RunId, evaluation.Id));
        var prepared = workspace.Folder(RunPaths.PreparedFolder(evaluation.RunId));
        var examples = await LoadExamplesAsync(Path.Combine(prepared, "test.examples.jsonl"), cancellationToken);
        var testFile = Path.Combine(prepared, "test.jsonl");
        var settings = evaluation.Settings;

        await using var log = await AnswerLog.OpenAsync(Path.Combine(folder, "answers.jsonl"), cancellationToken);
        using var requests = Limiter(settings.RequestsPerMinute);
        using var tokens = Limiter(settings.TokensPerMinute);
        var total = examples.Count * evaluation.Models.Count;
        var done = evaluation.Models.Sum(m => examples.Count(e => log.IsAnswered(m.Name, e.ExampleId)));
        progress.Report(new EvaluationProgress(done, total, "Answering"));

        foreach (var model in evaluation.Models)
        {
            using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.model");
            span?.SetTag(PipelineTelemetry.RunIdTag, evaluation.RunId);
            span?.SetTag("vqa.model", model.Model);
            var client = ProviderFor(model);
            var pending = examples.Where(e => !log.IsAnswered(model.Name, e.ExampleId)).Select(e => e.Line).ToHashSet();
            span?.SetTag("vqa.pending", pending.Count);
            if (settings.Mode == "batch")
            {
                await AnswerByBatchAsync(evaluation, model, client, examples, pending, testFile, folder, log, cancellationToken);
                done = evaluation.Models.Sum(m => examples.Count(e => log.IsAnswered(m.Name, e.ExampleId)));
                progress.Report(new EvaluationProgress(done, total, $"Batch for {model.Name} collected"));
                continue;
            }

            await Parallel.ForEachAsync(ReadLinesAsync(testFile, pending, settings.ZeroShot, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(settings.MaxConcurrency, 1, 256), CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    var example = examples[item.Line - 1];
                    await AcquireAsync(requests, 1, ct);
                    await AcquireAsync(tokens, item.EstimatedTokens, ct);
                    var answer = await AskAsync(client, model, example, item.Messages, ct);
                    await log.AppendAsync(answer, ct);
                    progress.Report(new EvaluationProgress(Interlocked.Increment(ref done), total, $"Answering with {model.Name}"));
                });
        }

        progress.Report(new EvaluationProgress(done, total, "Judging open-ended answers"));
        var ratings = await JudgeAsync(evaluation, examples, log, requests, tokens, cancellationToken);
        var summary = Score(evaluation, examples, log, ratings, out var results);
        await WriteResultsAsync(Path.Combine(folder, "results.jsonl"), results, cancellationToken);
        return summary;
    }

    /// <summary>
    /// Asks the pending examples through the Batch API: input files of at most 50,000 requests, uploaded, run, followed
    /// to the end, and their output collected into the same answers file. The batch ids are kept in the evaluation's
    /// folder, so a restart follows the batches already created instead of paying for them twice.
    /// </summary>
    private async Task AnswerByBatchAsync(EvaluationView evaluation, EvaluationModel model, IModelProvider client, IReadOnlyList<TestExample> examples,
        IReadOnlySet<int> pending, string testFile, string folder, AnswerLog log, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.batch");
        span?.SetTag(PipelineTelemetry.RunIdTag, evaluation.RunId);
        var statePath = Path.Combine(folder, $"batches-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(model.Name)))[..12]}.json");
        var batchIds = File.Exists(statePath) ? JsonSerializer.Deserialize<List<string>>(await File.ReadAllTextAsync(statePath, cancellationToken))! : [];
        if (batchIds.Count == 0 && pending.Count > 0)
        {
            foreach (var input in await WriteBatchInputsAsync(model, pending, testFile, examples, folder, cancellationToken))
            {
                var file = await client.UploadBatchFileAsync(input, cancellationToken);
                var batch = await client.CreateChatBatchAsync(file.Id, new Dictionary<string, string> { ["vqa_evaluation_id"] = evaluation.Id, ["vqa_model"] = model.Name }, cancellationToken);
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

        foreach (var example in examples.Where(e => pending.Contains(e.Line) && log.Find(model.Name, e.ExampleId) is null))
        {
            await log.AppendAsync(new RecordedAnswer(model.Name, example.ExampleId, null, "Not in the batch's output.", 0, 0, false), cancellationToken);
        }
    }

    private static async Task<List<string>> WriteBatchInputsAsync(EvaluationModel model, IReadOnlySet<int> pending, string testFile, IReadOnlyList<TestExample> examples,
        string folder, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        FileStream? stream = null;
        Utf8JsonWriter? writer = null;
        int requests = 0;
        try
        {
            await foreach (var item in ReadLinesAsync(testFile, pending, zeroShot: false, cancellationToken))
            {
                if (stream is null || requests >= MaxBatchRequests || stream.Length + item.Messages.Length > MaxBatchBytes)
                {
                    if (writer is not null)
                    {
                        await writer.DisposeAsync();
                        await stream!.DisposeAsync();
                    }

                    var path = Path.Combine(folder, $"batch-input-{files.Count + 1}-{Guid.NewGuid().ToString("N")[..6]}.jsonl");
                    files.Add(path);
                    stream = File.Create(path);
                    writer = new Utf8JsonWriter(stream);
                    requests = 0;
                }

                writer!.WriteStartObject();
                writer.WriteString("custom_id", examples[item.Line - 1].ExampleId);
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
                var emulated = body.TryGetProperty("system_fingerprint", out var fp) && fp.ValueKind == JsonValueKind.String && fp.GetString() == EmulatorFingerprint;
                await log.AppendAsync(new RecordedAnswer(model.Name, exampleId, text.Trim(), null, Usage("prompt_tokens"), Usage("completion_tokens"), emulated), cancellationToken);
            }
            else
            {
                var reason = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString()
                    : response.ValueKind == JsonValueKind.Object ? $"HTTP {response.GetProperty("status_code").GetInt32()}" : "failed in the batch";
                await log.AppendAsync(new RecordedAnswer(model.Name, exampleId, null, reason, 0, 0, false), cancellationToken);
            }
        }
    }

    private IModelProvider ProviderFor(EvaluationModel model) =>
        model.Endpoint is { Length: > 0 } endpoint ? _endpoints.GetOrAdd(endpoint, e => provider.ForEndpoint(new Uri(e))) : provider;

    private async Task<RecordedAnswer> AskAsync(IModelProvider client, EvaluationModel model, TestExample example, byte[] messages, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.request");
        span?.SetTag("vqa.example_id", example.ExampleId);
        try
        {
            var answer = await client.CompleteChatAsync(model.Model, messages, new ChatAnswerOptions(Temperature: 0, Seed: 42, MaxTokens: 100), cancellationToken);
            return new RecordedAnswer(model.Name, example.ExampleId, answer.Text.Trim(), null, answer.PromptTokens, answer.CompletionTokens,
                answer.SystemFingerprint == EmulatorFingerprint);
        }
        catch (ClientResultException ex)
        {
            // Retries are spent (429/5xx) or the request was refused: recorded, and asked again on the next start.
            span?.SetStatus(ActivityStatusCode.Error, $"HTTP {ex.Status}");
            return new RecordedAnswer(model.Name, example.ExampleId, null, $"HTTP {ex.Status}", 0, 0, false);
        }
        catch (HttpRequestException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return new RecordedAnswer(model.Name, example.ExampleId, null, "The provider could not be reached.", 0, 0, false);
        }
    }

    private async Task<Dictionary<(string Model, string ExampleId), string?>> JudgeAsync(EvaluationView evaluation, IReadOnlyList<TestExample> examples, AnswerLog log,
        PerMinuteLimiter? requests, PerMinuteLimiter? tokens, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.judge");
        span?.SetTag(PipelineTelemetry.RunIdTag, evaluation.RunId);
        var ratings = new ConcurrentDictionary<(string, string), string?>();
        var work = from model in evaluation.Models
                   from example in examples
                   where !example.IsYesNo
                   let answer = log.Find(model.Name, example.ExampleId)
                   where answer?.Answer is not null
                   select (model, example, answer);
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(evaluation.Settings.MaxConcurrency, 1, 256), CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                using var judgeSpan = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.judge_call");
                try
                {
                    await AcquireAsync(requests, 1, ct);
                    await AcquireAsync(tokens, 300, ct);
                    ratings[(item.model.Name, item.example.ExampleId)] = await judge.RateAsync(provider, evaluation.Settings.JudgeModel,
                        item.example.Question, item.example.Truth, item.answer!.Answer!, ct);
                }
                catch (ClientResultException ex)
                {
                    judgeSpan?.SetStatus(ActivityStatusCode.Error, $"HTTP {ex.Status}");
                    logger.LogWarning("The judge failed on {ExampleId}: HTTP {Status}", item.example.ExampleId, ex.Status);
                    ratings[(item.model.Name, item.example.ExampleId)] = null;
                }
            });
        return new Dictionary<(string, string), string?>(ratings);
    }

    private EvaluationSummary Score(EvaluationView evaluation, IReadOnlyList<TestExample> examples, AnswerLog log,
        IReadOnlyDictionary<(string Model, string ExampleId), string?> ratings, out List<ExampleResult> results)
    {
        results = [.. examples.Select(example => new ExampleResult(example.ExampleId, example.Kind, example.Question, example.Truth, example.ImageCacheId,
            [.. evaluation.Models.Select(model =>
            {
                var answer = log.Find(model.Name, example.ExampleId);
                if (answer?.Answer is not { } text)
                {
                    return new ModelAnswer(model.Name, null, answer?.Error ?? "not answered", null, null, null, null);
                }

                return example.IsYesNo
                    ? new ModelAnswer(model.Name, text, null, AnswerScoring.LenientMatch(text, example.Truth), AnswerScoring.StrictMatch(text, example.Truth), null, null)
                    : new ModelAnswer(model.Name, text, null, null, AnswerScoring.StrictMatch(text, example.Truth), AnswerScoring.Anls(text, example.AcceptedAnswers),
                        ratings.GetValueOrDefault((model.Name, example.ExampleId)));
            })]))];

        var modelScores = new List<ModelScores>();
        for (var m = 0; m < evaluation.Models.Count; m++)
        {
            var model = evaluation.Models[m];
            var index = m;
            var answers = results.Select(r => (Example: r, Answer: r.Answers[index])).ToList();
            var recorded = log.All.Where(a => a.Model == model.Name && a.Error is null).ToList();
            var promptTokens = recorded.Sum(a => (long)a.PromptTokens);
            var completionTokens = recorded.Sum(a => (long)a.CompletionTokens);
            var price = pricing.Value.Find(model.Model);
            var cost = price is null ? (decimal?)null
                : Math.Round((promptTokens * price.InputPerMillion + completionTokens * price.OutputPerMillion) / 1_000_000m * (evaluation.Settings.Mode == "batch" ? 0.5m : 1m), 4);
            var kinds = answers.GroupBy(a => a.Example.Kind).OrderBy(g => g.Key).Select(g => Kind(g.Key, [.. g])).ToList();
            modelScores.Add(new ModelScores(model.Name, model.Model, answers.Count(a => a.Answer.Answer is not null), answers.Count(a => a.Answer.Answer is null),
                Kind("all", answers), kinds,
                JudgeRatings.All.ToDictionary(r => r, r => answers.Count(a => a.Answer.JudgeRating == r)),
                promptTokens, completionTokens, cost));
        }

        var paired = new List<PairedTest>();
        for (var a = 0; a < evaluation.Models.Count; a++)
        {
            for (var b = a + 1; b < evaluation.Models.Count; b++)
            {
                paired.Add(Paired(results, a, b, evaluation.Models, "yes/no strict", r => r.Answers[a].StrictRight is not null && r.Answers[b].StrictRight is not null && QuestionKinds.IsYesNo(r.Truth),
                    (r, i) => r.Answers[i].StrictRight == true));
                paired.Add(Paired(results, a, b, evaluation.Models, "judge at least Mostly Similar", r => r.Answers[a].JudgeRating is not null && r.Answers[b].JudgeRating is not null,
                    (r, i) => JudgeRatings.IsAtLeastMostlySimilar(r.Answers[i].JudgeRating)));
            }
        }

        return new EvaluationSummary(modelScores, paired);
    }

    private static PairedTest Paired(List<ExampleResult> results, int a, int b, IReadOnlyList<EvaluationModel> models, string measure,
        Func<ExampleResult, bool> applies, Func<ExampleResult, int, bool> right)
    {
        var both = results.Where(applies).ToList();
        var (onlyA, onlyB, p) = Statistics.McNemarExact([.. both.Select(r => right(r, a))], [.. both.Select(r => right(r, b))]);
        return new PairedTest(models[a].Name, models[b].Name, measure, both.Count, onlyA, onlyB, p);
    }

    private static KindScores Kind(string kind, IReadOnlyList<(ExampleResult Example, ModelAnswer Answer)> answers)
    {
        var yesNo = answers.Where(a => a.Answer.LenientRight is not null).ToList();
        var open = answers.Where(a => a.Answer.LenientRight is null && a.Answer.Answer is not null).ToList();
        var judged = open.Where(a => a.Answer.JudgeRating is not null).ToList();
        return new KindScores(kind, answers.Count,
            Rate([.. yesNo.Select(a => a.Answer.LenientRight == true)]),
            Rate([.. yesNo.Select(a => a.Answer.StrictRight == true)]),
            Rate([.. judged.Select(a => JudgeRatings.IsVerySimilar(a.Answer.JudgeRating))]),
            Rate([.. judged.Select(a => JudgeRatings.IsAtLeastMostlySimilar(a.Answer.JudgeRating))]),
            Rate([.. open.Select(a => a.Answer.StrictRight == true)]),
            open.Count == 0 ? null : Math.Round(open.Average(a => a.Answer.Anls ?? 0), 4));
    }

    private static Accuracy? Rate(IReadOnlyList<bool> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return null;
        }

        var p = Statistics.BootstrapAccuracy(outcomes);
        return new Accuracy(p.Successes, p.Total, Math.Round(p.Value, 4), Math.Round(p.Lower, 4), Math.Round(p.Upper, 4));
    }

    private static async Task<IReadOnlyList<TestExample>> LoadExamplesAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new PreparationException("The run has no prepared test set; prepare it first.");
        }

        var examples = new List<TestExample>();
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            using var row = JsonDocument.Parse(line);
            var r = row.RootElement;
            examples.Add(new TestExample(r.GetProperty("line").GetInt32(), r.GetProperty("example_id").GetString()!, r.GetProperty("question").GetString()!,
                r.GetProperty("answer").GetString()!, [.. r.GetProperty("accepted_answers").EnumerateArray().Select(a => a.GetString()!)],
                r.GetProperty("kind").GetString()!, r.TryGetProperty("image", out var image) ? image.GetString() : null));
        }

        return examples;
    }

    private sealed record PendingRequest(int Line, byte[] Messages, int EstimatedTokens);

    /// <summary>Streams the test file, yielding the messages of the lines still to ask: memory stays bounded on any size.</summary>
    private static async IAsyncEnumerable<PendingRequest> ReadLinesAsync(string path, IReadOnlySet<int> lines, bool zeroShot, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (!lines.Contains(number))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var messages = document.RootElement.GetProperty("messages");
            var chosen = zeroShot
                ? messages.EnumerateArray().Where((m, i) => i == 0 && m.GetProperty("role").GetString() == "system").Append(messages[messages.GetArrayLength() - 1]).ToList()
                : [.. messages.EnumerateArray()];
            var bytes = JsonSerializer.SerializeToUtf8Bytes(chosen);
            yield return new PendingRequest(number, bytes, EstimateTokens(chosen));
        }
    }

    /// <summary>A cheap estimate for the token limiter: text at four characters a token, images at their high-detail maximum tile count.</summary>
    private static int EstimateTokens(IEnumerable<JsonElement> messages)
    {
        var total = 0;
        foreach (var message in messages)
        {
            var content = message.GetProperty("content");
            if (content.ValueKind == JsonValueKind.String)
            {
                total += content.GetString()!.Length / 4 + TokenCounter.TokensPerMessage;
                continue;
            }

            foreach (var part in content.EnumerateArray())
            {
                total += part.GetProperty("type").GetString() == "image_url" ? 765 : (part.TryGetProperty("text", out var t) ? t.GetString()!.Length / 4 : 0);
            }
        }

        return total + TokenCounter.TokensPerConversation;
    }

    private static async Task WriteResultsAsync(string path, IReadOnlyList<ExampleResult> results, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path + ".partial");
        foreach (var result in results)
        {
            await JsonSerializer.SerializeAsync(stream, result, JsonSerializerOptions.Web, cancellationToken);
            stream.WriteByte((byte)'\n');
        }

        await stream.DisposeAsync();
        File.Move(path + ".partial", path, overwrite: true);
    }

    /// <summary>A per-minute budget as a token bucket refilled every second, or none for 0.</summary>
    private static PerMinuteLimiter? Limiter(int perMinute) => perMinute <= 0 ? null : new PerMinuteLimiter(perMinute);

    private static async Task AcquireAsync(PerMinuteLimiter? limiter, int permits, CancellationToken cancellationToken)
    {
        if (limiter is not null)
        {
            await limiter.AcquireAsync(permits, cancellationToken);
        }
    }
}
