using System.ClientModel;
using System.Diagnostics;
using System.Text.Json;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Playground;

/// <summary>
/// Asks every chosen model the same question about the same image, at once, as a prepared test line would ask it
/// (the default system prompt unless another is given), and reports each answer with its tokens and latency.
/// </summary>
public sealed class PlaygroundService(IModelProvider provider, IDatasetSourceResolver datasets, TimeProvider time)
{
    /// <summary>The answers, or the problem (and its status) when the image cannot be found.</summary>
    public async Task<(PlaygroundResult? Result, string? Problem)> AskAsync(PlaygroundRequest request, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.playground");
        span?.SetTag("vqa.models", request.Models.Count);
        var dataUrl = request.ImageDataUrl ?? await DatasetImageDataUrlAsync(request.DatasetId!, request.ImageId!, request.Split, cancellationToken);
        if (dataUrl is null)
        {
            return (null, $"Dataset '{request.DatasetId}' has no readable image '{request.ImageId}' (or the dataset is not ready).");
        }

        var messages = Messages(request.SystemPrompt ?? PromptDefaults.SystemPrompt, request.Question.Trim(), dataUrl, request.Detail);
        var answers = await Task.WhenAll(request.Models.Select(model => AnswerAsync(model, messages, request.MaxTokens, cancellationToken)));
        return (new PlaygroundResult(request.Question.Trim(), answers), null);
    }

    private async Task<PlaygroundAnswer> AnswerAsync(EvaluationModel model, byte[] messages, int maxTokens, CancellationToken cancellationToken)
    {
        var client = model.Endpoint is { } endpoint ? provider.ForEndpoint(new Uri(endpoint)) : provider;
        var started = time.GetTimestamp();
        try
        {
            var answer = await client.CompleteChatAsync(model.Model, messages, new ChatAnswerOptions(Temperature: 0, Seed: 42, MaxTokens: maxTokens), cancellationToken);
            return new PlaygroundAnswer(model.Name, model.Model, model.Endpoint, answer.Text.Trim(), null, answer.PromptTokens, answer.CompletionTokens,
                Elapsed(started), answer.SystemFingerprint == EvaluationRunner.EmulatorFingerprint);
        }
        catch (ClientResultException ex) when (ex.Status == 0)
        {
            // No response at all: refused connection, unknown host.
            return Failed(model, "The provider could not be reached.", started);
        }
        catch (ClientResultException ex)
        {
            Activity.Current?.AddEvent(new ActivityEvent("model refused", tags: new ActivityTagsCollection { ["vqa.model"] = model.Model, ["http.status"] = ex.Status }));
            return Failed(model, $"The provider refused: HTTP {ex.Status}{(ex.Status == 404 ? " (no such model or deployment)" : "")}.", started);
        }
        catch (HttpRequestException)
        {
            return Failed(model, "The provider could not be reached.", started);
        }
    }

    private PlaygroundAnswer Failed(EvaluationModel model, string error, long started) =>
        new(model.Name, model.Model, model.Endpoint, null, error, 0, 0, Elapsed(started), false);

    private double Elapsed(long started) => Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1);

    private async Task<string?> DatasetImageDataUrlAsync(string datasetId, string imageId, string? split, CancellationToken cancellationToken)
    {
        var source = await datasets.OpenAsync(datasetId, cancellationToken);
        var splits = split is null ? VqaSplits.All : SplitNames.Normalize(split) is { } s ? [s] : [];
        foreach (var candidate in source is null ? [] : splits)
        {
            await foreach (var record in source!.ReadAsync(candidate, new HashSet<string> { imageId }, cancellationToken))
            {
                return record.ImageBytes is { Length: > 0 } bytes && ImageHeaders.SniffContentType(bytes) is { } contentType
                    ? $"data:{contentType};base64,{Convert.ToBase64String(bytes)}"
                    : null;
            }
        }

        return null;
    }

    /// <summary>The chat messages of one question, shaped as the prepared test lines are.</summary>
    private static byte[] Messages(string systemPrompt, string question, string dataUrl, string detail) =>
        JsonSerializer.SerializeToUtf8Bytes(new object[]
        {
            new { role = "system", content = systemPrompt },
            new
            {
                role = "user",
                content = new object[]
                {
                    new { type = "text", text = question },
                    new { type = "image_url", image_url = new { url = dataUrl, detail } },
                },
            },
        });
}
