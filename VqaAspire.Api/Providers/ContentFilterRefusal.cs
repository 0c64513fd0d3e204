using System.Text.Json;

namespace VqaAspire.Api.Providers;

/// <summary>
/// Azure OpenAI's content filter: a refused prompt is HTTP 400 with <c>error.code</c> <c>content_filter</c> (and an
/// <c>innererror</c> <c>ResponsibleAIPolicyViolation</c> naming the categories); a cut answer finishes with
/// <c>finish_reason</c> <c>content_filter</c>. Either is the provider's verdict on the prompt, not a failure to retry.
/// </summary>
public static class ContentFilterRefusal
{
    public const string Code = "content_filter";

    /// <summary>The message recorded for a filtered answer, with the categories the filter flagged when it named them.</summary>
    public static string Message(IEnumerable<string> categories)
    {
        var flagged = categories.ToList();
        return "Refused by the provider's content filter" + (flagged.Count == 0 ? "." : $" ({string.Join(", ", flagged)}).");
    }

    /// <summary>The refusal's message when this error body (or a batch line's <c>error</c>) is a content-filter refusal; null otherwise.</summary>
    public static string? FromError(JsonElement body)
    {
        var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : body;
        if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String || code.GetString() != Code)
        {
            return null;
        }

        var results = error.TryGetProperty("innererror", out var inner) && inner.ValueKind == JsonValueKind.Object && inner.TryGetProperty("content_filter_result", out var r)
            && r.ValueKind == JsonValueKind.Object ? r : default;
        return Message(results.ValueKind == JsonValueKind.Object
            ? results.EnumerateObject().Where(c => c.Value.ValueKind == JsonValueKind.Object && c.Value.TryGetProperty("filtered", out var f) && f.ValueKind == JsonValueKind.True).Select(c => c.Name)
            : []);
    }

    /// <summary>The refusal's message when this HTTP error body is a content-filter refusal; null otherwise (not JSON, another error).</summary>
    public static string? FromError(BinaryData? content)
    {
        if (content is null || content.ToMemory().Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            return FromError(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
