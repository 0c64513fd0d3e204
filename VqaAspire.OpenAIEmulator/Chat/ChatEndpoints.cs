using System.Text;
using System.Text.Json;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Chat;

public static class ChatEndpoints
{
    /// <summary>Maps <c>POST /chat/completions</c>, as one JSON body or, with <c>stream: true</c>, as server-sent events.</summary>
    public static RouteGroupBuilder MapChatEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/chat/completions", async (HttpContext context, ChatCompletionService chat, CancellationToken cancellationToken) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            var completion = chat.Complete(body.RootElement, streamAllowed: true);
            if (!ChatCompletionService.WantsStream(body.RootElement))
            {
                return Results.Ok(completion);
            }

            var includeUsage = body.RootElement.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
            await StreamAsync(context.Response, completion, includeUsage, cancellationToken);
            return Results.Empty;
        }).WithName("CreateChatCompletion");
        return group;
    }

    // OpenAI's chunk sequence: the role, the content, the finish reason, then (when asked) the usage, then [DONE].
    internal static async Task StreamAsync(HttpResponse response, ChatCompletion completion, bool includeUsage, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        object Chunk(object[] choices, ChatUsage? chunkUsage = null) => includeUsage
            ? new { id = completion.Id, @object = "chat.completion.chunk", created = completion.Created, model = completion.Model, service_tier = completion.ServiceTier, system_fingerprint = completion.SystemFingerprint, choices, usage = chunkUsage }
            : new { id = completion.Id, @object = "chat.completion.chunk", created = completion.Created, model = completion.Model, service_tier = completion.ServiceTier, system_fingerprint = completion.SystemFingerprint, choices };

        var events = new List<object>();
        foreach (var choice in completion.Choices)
        {
            events.Add(Chunk([new { index = choice.Index, delta = new { role = "assistant", content = "", refusal = (string?)null }, logprobs = (object?)null, finish_reason = (string?)null }]));
            events.Add(Chunk([new { index = choice.Index, delta = new { content = choice.Message.Content }, logprobs = (object?)null, finish_reason = (string?)null }]));
            events.Add(Chunk([new { index = choice.Index, delta = new { }, logprobs = (object?)null, finish_reason = (string?)choice.FinishReason }]));
        }

        if (includeUsage)
        {
            events.Add(Chunk([], completion.Usage));
        }

        foreach (var e in events)
        {
            await response.WriteAsync("data: " + JsonSerializer.Serialize(e, ObjectStore.Json) + "\n\n", Encoding.UTF8, cancellationToken);
        }

        await response.WriteAsync("data: [DONE]\n\n", Encoding.UTF8, cancellationToken);
    }
}
