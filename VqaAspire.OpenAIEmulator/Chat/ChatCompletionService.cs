using System.Text.Json;
using VqaAspire.OpenAIEmulator.Models;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Chat;

public sealed record ChatMessageOut(string Role, string Content)
{
    public string? Refusal => null;

    public IReadOnlyList<object> Annotations => [];
}

public sealed record ChatChoice(int Index, ChatMessageOut Message, string FinishReason)
{
    public object? Logprobs => null;
}

public sealed record PromptTokensDetails(int CachedTokens, int AudioTokens);

public sealed record CompletionTokensDetails(int ReasoningTokens, int AudioTokens, int AcceptedPredictionTokens, int RejectedPredictionTokens);

public sealed record ChatUsage(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails PromptTokensDetails, CompletionTokensDetails CompletionTokensDetails);

public sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<ChatChoice> Choices, ChatUsage Usage)
{
    public string Object => "chat.completion";

    public string ServiceTier => "default";

    public string SystemFingerprint => EmulatorOptions.SystemFingerprint;
}

/// <summary>
/// Answers chat completion requests by the documented <see cref="AnswerPolicy"/>. Shared by
/// <c>POST /v1/chat/completions</c> and the batch runner.
/// </summary>
public sealed class ChatCompletionService(ModelCatalog catalog, KnowledgeStore knowledge)
{
    public const long MaxImageBytes = 20L * 1024 * 1024;
    private static readonly string[] ImageFormats = ["png", "jpeg", "gif", "webp"];

    /// <summary>Whether the request asks for server-sent events.</summary>
    public static bool WantsStream(JsonElement request) =>
        request.ValueKind == JsonValueKind.Object && request.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;

    /// <summary>Answers one request; throws <see cref="OpenAIRequestException"/> for bad input.</summary>
    public ChatCompletion Complete(JsonElement request, bool streamAllowed = false)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIRequestException.Invalid("The request body must be a JSON object.");
        }

        var model = RequiredString(request, "model");
        // Fine-tuned names: OpenAI's ft:base:org:suffix:id and Azure's base.ft-id.
        var trained = knowledge.Find(model);
        if (trained is null && catalog.Find(model) is null)
        {
            throw new OpenAIRequestException(404, $"The model `{model}` does not exist or you do not have access to it.", "model", "model_not_found");
        }

        if (!streamAllowed && WantsStream(request))
        {
            throw OpenAIRequestException.Invalid("Streaming is not supported here; send the request with stream false.", "stream", "unsupported_value");
        }

        if (!request.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIRequestException.Invalid("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        }

        if (messagesElement.GetArrayLength() == 0)
        {
            throw OpenAIRequestException.Invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array");
        }

        var n = OptionalInt(request, "n") ?? 1;
        if (n is < 1 or > 128)
        {
            throw OpenAIRequestException.Invalid($"Invalid 'n': integer below minimum value or above maximum value. Expected a value between 1 and 128, but got {n}.", "n", "integer_out_of_range");
        }

        var maxTokens = OptionalInt(request, "max_completion_tokens") ?? OptionalInt(request, "max_tokens");
        var messages = new List<ParsedMessage>(messagesElement.GetArrayLength());
        var promptTokens = 3;
        var i = 0;
        foreach (var element in messagesElement.EnumerateArray())
        {
            var param = $"messages[{i++}]";
            var message = MessageReader.Read(element, param, MessageReader.ChatRoles, MaxImageBytes, ImageFormats);
            if (message.Images.Count > 0 && message.Role is not ("user" or "system" or "developer"))
            {
                throw OpenAIRequestException.Invalid($"Image content parts are only allowed in user messages; '{param}' is a '{message.Role}' message.", $"{param}.content", "invalid_value");
            }

            promptTokens += 3 + TokenCounts.TextTokens(message.Text);
            foreach (var image in message.Images)
            {
                promptTokens += TokenCounts.ImageTokens(image.Info.Width, image.Info.Height, image.Detail);
            }

            messages.Add(message);
        }

        var content = Answer(request, messages, trained);
        var completionTokens = TokenCounts.TextTokens(content);
        var finishReason = "stop";
        if (maxTokens is { } max && max > 0 && completionTokens > max)
        {
            content = content[..Math.Min(content.Length, max * 4)];
            completionTokens = max;
            finishReason = "length";
        }

        var choices = new ChatChoice[n];
        for (var c = 0; c < n; c++)
        {
            choices[c] = new ChatChoice(c, new ChatMessageOut("assistant", content), finishReason);
        }

        return new ChatCompletion(
            Ids.New("chatcmpl-", 29),
            Ids.Now(),
            ModelCatalog.Snapshot(model),
            choices,
            new ChatUsage(promptTokens, completionTokens * n, promptTokens + completionTokens * n, new PromptTokensDetails(0, 0), new CompletionTokensDetails(0, 0, 0, 0)));
    }

    private static string Answer(JsonElement request, List<ParsedMessage> messages, TrainedKnowledge? trained)
    {
        JsonElement? schema = null;
        var format = "text";
        if (request.TryGetProperty("response_format", out var responseFormat) && responseFormat.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            throw OpenAIRequestException.Invalid($"Invalid type for 'response_format': expected an object, but got {MessageReader.Describe(responseFormat)}.", "response_format", "invalid_type");
        }

        if (responseFormat.ValueKind == JsonValueKind.Object)
        {
            format = responseFormat.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "";
            if (format is not ("text" or "json_object" or "json_schema"))
            {
                throw OpenAIRequestException.Invalid($"Invalid value: '{format}'. Supported values are: 'text', 'json_object' and 'json_schema'.", "response_format.type", "invalid_value");
            }

            if (format == "json_schema")
            {
                if (!responseFormat.TryGetProperty("json_schema", out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object)
                {
                    throw OpenAIRequestException.Invalid("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter");
                }

                if (!jsonSchema.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    throw OpenAIRequestException.Invalid("Missing required parameter: 'response_format.json_schema.name'.", "response_format.json_schema.name", "missing_required_parameter");
                }

                schema = jsonSchema.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.Object ? s : null;
            }
        }

        var question = messages.LastOrDefault(m => m.Role == "user");
        var normalised = question is null ? "" : AnswerPolicy.NormaliseQuestion(question.Text);
        var answer = AnswerFor(normalised, question?.Images.Count > 0 ? question.Images[^1].Hash : null, trained);

        return format switch
        {
            "json_schema" when schema is { } s => SchemaAnswer.Write(s, answer, messages),
            "json_schema" or "json_object" => JsonSerializer.Serialize(new Dictionary<string, string> { ["answer"] = answer }, Storage.ObjectStore.Json),
            _ => answer,
        };
    }

    /// <summary>The trained answer for this image and question, else the most frequent one for its kind, else the base policy.</summary>
    public static string AnswerFor(string normalisedQuestion, string? imageHash, TrainedKnowledge? trained)
    {
        if (trained is not null)
        {
            if (trained.Answers.TryGetValue(TrainedKnowledge.Key(imageHash, normalisedQuestion), out var seen))
            {
                return seen;
            }

            if (trained.AnswersByKind.TryGetValue(AnswerPolicy.QuestionKind(normalisedQuestion), out var frequent))
            {
                return frequent;
            }
        }

        return AnswerPolicy.BaseAnswer(normalisedQuestion);
    }

    private static string RequiredString(JsonElement request, string name)
    {
        if (!request.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIRequestException.Invalid($"Missing required parameter: '{name}'.", name, "missing_required_parameter");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw OpenAIRequestException.Invalid($"Invalid type for '{name}': expected a string, but got {MessageReader.Describe(value)}.", name, "invalid_type");
        }

        return value.GetString()!;
    }

    private static int? OptionalInt(JsonElement request, string name)
    {
        if (!request.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw OpenAIRequestException.Invalid($"Invalid type for '{name}': expected an integer, but got {MessageReader.Describe(value)}.", name, "invalid_type");
    }
}
