using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VqaAspire.OpenAIEmulator.Chat;

/// <summary>
/// Writes an answer that conforms to a <c>json_schema</c> response format. A judge request (a string property with an
/// enum, e.g. the four cookbook ratings) is graded: the emulator finds the truth and the prediction in the messages
/// (last ones win), either as a message that is one JSON object with <c>ground_truth</c> and <c>prediction</c> string
/// fields, or as the lines <c>Ground truth: ...</c> and <c>Prediction: ...</c>, and rates their <see cref="AnswerPolicy.Similarity"/> with
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

            if (FieldsOf(message.Text) is { } fields)
            {
                (truth, prediction) = fields;
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

    /// <summary>The truth and prediction of a message that is one JSON object holding both as strings; else null.</summary>
    private static (string Truth, string Prediction)? FieldsOf(string text)
    {
        if (!text.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("ground_truth", out var truth) && truth.ValueKind == JsonValueKind.String
                && root.TryGetProperty("prediction", out var prediction) && prediction.ValueKind == JsonValueKind.String
                ? (truth.GetString()!.Trim(), prediction.GetString()!.Trim())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
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
