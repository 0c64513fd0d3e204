using System.Buffers;
using System.Globalization;
using System.Text;
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

/// <summary>
/// Writes an answer that conforms to a <c>json_schema</c> response format. A judge request (a string property with an
/// enum, e.g. the four cookbook ratings) is graded: the emulator finds the lines <c>Ground truth: ...</c> and
/// <c>Prediction: ...</c> in the messages (last ones win), rates their <see cref="AnswerPolicy.Similarity"/> with
/// <see cref="AnswerPolicy.Rate"/>, and puts the rating in the first enum property. Without both lines the rating is
/// the last enum value. Other properties: the first string property gets the answer (for a judge: a one-line
/// explanation), numbers get the similarity (0 outside a judge), booleans true, arrays empty, objects recursively.
/// </summary>
public static class SchemaAnswer
{
    public static string Write(JsonElement schema, string answer, IReadOnlyList<ParsedMessage> messages)
    {
        var judge = FindTruthAndPrediction(messages);
        var state = new State(schema, answer, judge);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            state.WriteValue(writer, schema, 0);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static (string Truth, string Prediction)? FindTruthAndPrediction(IReadOnlyList<ParsedMessage> messages)
    {
        string? truth = null, prediction = null;
        foreach (var message in messages)
        {
            if (message.Role is "assistant" or "tool")
            {
                continue;
            }

            foreach (var rawLine in message.Text.Split('\n'))
            {
                var line = rawLine.Trim();
                if (line.StartsWith("Ground truth:", StringComparison.OrdinalIgnoreCase))
                {
                    truth = line["Ground truth:".Length..].Trim();
                }
                else if (line.StartsWith("Prediction:", StringComparison.OrdinalIgnoreCase))
                {
                    prediction = line["Prediction:".Length..].Trim();
                }
            }
        }

        return truth is not null && prediction is not null ? (truth, prediction) : null;
    }

    private sealed class State(JsonElement root, string answer, (string Truth, string Prediction)? judge)
    {
        private readonly double _similarity = judge is { } j ? AnswerPolicy.Similarity(j.Truth, j.Prediction) : 0;
        private bool _ratingWritten;
        private bool _answerWritten;

        public void WriteValue(Utf8JsonWriter writer, JsonElement schema, int depth)
        {
            if (depth > 16)
            {
                writer.WriteNullValue();
                return;
            }

            schema = Resolve(schema);
            if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
            {
                var strings = values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();
                if (!_ratingWritten && strings.Count == values.GetArrayLength())
                {
                    _ratingWritten = true;
                    writer.WriteStringValue(judge is { } ? AnswerPolicy.Rate(_similarity, strings) : strings[^1]);
                }
                else
                {
                    values[0].WriteTo(writer);
                }

                return;
            }

            foreach (var union in (string[])["anyOf", "oneOf"])
            {
                if (schema.TryGetProperty(union, out var options) && options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0)
                {
                    WriteValue(writer, options[0], depth + 1);
                    return;
                }
            }

            var type = schema.TryGetProperty("type", out var t)
                ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") : t.GetString()
                : schema.TryGetProperty("properties", out _) ? "object" : "string";
            switch (type)
            {
                case "object":
                    writer.WriteStartObject();
                    if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in properties.EnumerateObject())
                        {
                            writer.WritePropertyName(property.Name);
                            WriteValue(writer, property.Value, depth + 1);
                        }
                    }

                    writer.WriteEndObject();
                    break;
                case "array":
                    writer.WriteStartArray();
                    writer.WriteEndArray();
                    break;
                case "number":
                    writer.WriteNumberValue(Math.Round(_similarity, 3));
                    break;
                case "integer":
                    writer.WriteNumberValue((int)Math.Round(_similarity * 100));
                    break;
                case "boolean":
                    writer.WriteBooleanValue(true);
                    break;
                case "null":
                    writer.WriteNullValue();
                    break;
                default:
                    if (!_answerWritten)
                    {
                        _answerWritten = true;
                        writer.WriteStringValue(judge is { } j
                            ? $"Emulated judge: similarity {_similarity.ToString("0.00", CultureInfo.InvariantCulture)} between '{j.Prediction}' and '{j.Truth}'."
                            : answer);
                    }
                    else
                    {
                        writer.WriteStringValue("");
                    }

                    break;
            }
        }

        private JsonElement Resolve(JsonElement schema)
        {
            for (var hops = 0; hops < 8 && schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } path && path.StartsWith("#/", StringComparison.Ordinal); hops++)
            {
                var target = root;
                foreach (var segment in path[2..].Split('/'))
                {
                    if (!target.TryGetProperty(segment, out target))
                    {
                        throw OpenAIRequestException.Invalid($"Invalid schema for response_format: reference '{path}' cannot be resolved.", "response_format.json_schema.schema", "invalid_json_schema");
                    }
                }

                schema = target;
            }

            return schema;
        }
    }
}
