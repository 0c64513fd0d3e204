using System.Text.Json;

namespace VqaAspire.OpenAIEmulator.Chat;

public static class ChatEndpoints
{
    /// <summary>Maps <c>POST /chat/completions</c>.</summary>
    public static RouteGroupBuilder MapChatEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/chat/completions", async (HttpRequest request, ChatCompletionService chat, CancellationToken cancellationToken) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return Results.Ok(chat.Complete(body.RootElement));
        }).WithName("CreateChatCompletion");
        return group;
    }
}
