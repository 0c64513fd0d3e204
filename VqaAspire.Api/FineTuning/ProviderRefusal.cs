using System.ClientModel;
using System.Text.Json;

namespace VqaAspire.Api.FineTuning;

/// <summary>Turns a provider's refusal into words a user can act on.</summary>
public static class ProviderRefusal
{
    /// <summary>The provider's refusal in plain words, never echoing a key.</summary>
    public static string Explain(ClientResultException ex)
    {
        string? code = null, message = null;
        try
        {
            using var body = JsonDocument.Parse(ex.GetRawResponse()?.Content.ToString() ?? "{}");
            if (body.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
        }

        return (ex.Status, code) switch
        {
            (403, "training_not_available") =>
                "OpenAI no longer accepts new fine-tuning jobs for this organisation (HTTP 403, training_not_available). " +
                "Fine-tune on Azure OpenAI (openai-kind=azure) or rehearse with the emulator; inference on existing fine-tuned models still works.",
            (401, _) => "The provider refused the API key (HTTP 401).",
            _ => $"The provider refused the request (HTTP {ex.Status}{(code is null ? "" : $", {code}")}): {message ?? "no details"}",
        };
    }
}
