using System.Text.Json;

namespace VqaAspire.OpenAIEmulator.Batches;

/// <summary>Reads one line of a batch input file into its request, or records why it cannot run.</summary>
public static class BatchInputReader
{
    /// <summary>The parsed line (its document stays open for the body; the caller disposes it), or null with an error added.</summary>
    public static (JsonDocument Document, string CustomId, JsonElement Body)? ReadLine(string text, int number, string endpoint, HashSet<string> seen, List<BatchError> errors)
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
        // Azure's batch article: the batch names "/chat/completions" while its input lines keep "/v1/chat/completions".
        else if (Field("url") != endpoint && !(endpoint == BatchService.AzureChatEndpoint && Field("url") == "/v1" + endpoint))
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
}
