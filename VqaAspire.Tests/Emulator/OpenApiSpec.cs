using System.Text.Json;
using System.Text.Json.Nodes;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// OpenAI's OpenAPI document (../shared/openai/openapi.yaml, as JSON in Spec/openapi.json: see Spec/README.md), and a checker for the parts of JSON
/// Schema that decide whether a client can read a body: required properties, types, enums and constants, nullability,
/// anyOf/oneOf/allOf, nested objects and arrays.
/// </summary>
public sealed class OpenApiSpec
{
    private static readonly Lazy<OpenApiSpec> Shared = new(() => new OpenApiSpec(Path.Combine(AppContext.BaseDirectory, "Emulator", "Spec", "openapi.json")));
    private static readonly Lazy<OpenApiSpec> SharedLines = new(() => new OpenApiSpec(Path.Combine(AppContext.BaseDirectory, "Emulator", "Spec", "openapi-2025-04-lines.json")));

    private readonly JsonNode _root;

    private OpenApiSpec(string path)
    {
        _root = JsonNode.Parse(File.ReadAllBytes(path))!;
    }

    public static OpenApiSpec Instance => Shared.Value;

    /// <summary>The training-line and batch-line schemas, which only the 2025-04 document still has.</summary>
    public static OpenApiSpec Lines => SharedLines.Value;

    /// <summary>The schema of an operation's JSON request body.</summary>
    public JsonNode RequestSchema(string operationId) =>
        Operation(operationId)["requestBody"]!["content"]!["application/json"]!["schema"]!;

    /// <summary>The schema of an operation's JSON response for a status.</summary>
    public JsonNode ResponseSchema(string operationId, string status = "200") =>
        Operation(operationId)["responses"]![status]!["content"]!["application/json"]!["schema"]!;

    public JsonNode Schema(string name) => _root["components"]!["schemas"]![name] ?? throw new KeyNotFoundException(name);

    /// <summary>Asserts that a response body conforms to the operation's response schema.</summary>
    public void AssertResponse(string operationId, JsonElement body) => AssertConforms(ResponseSchema(operationId), body, $"{operationId} response");

    /// <summary>Asserts that a request body we send conforms to the operation's request schema.</summary>
    public void AssertRequest(string operationId, JsonElement body) => AssertConforms(RequestSchema(operationId), body, $"{operationId} request");

    public void AssertConforms(JsonNode schema, JsonElement value, string what)
    {
        var errors = new List<string>();
        Check(schema, value, "$", errors, 0);
        Assert.True(errors.Count == 0, $"{what} does not conform to OpenAI's OpenAPI spec:\n  {string.Join("\n  ", errors.Take(20))}\nBody: {Truncate(value.GetRawText())}");
    }

    public IReadOnlyList<string> Errors(JsonNode schema, JsonElement value)
    {
        var errors = new List<string>();
        Check(schema, value, "$", errors, 0);
        return errors;
    }

    private JsonNode Operation(string operationId)
    {
        foreach (var (_, pathItem) in _root["paths"]!.AsObject())
        {
            foreach (var (_, operation) in pathItem!.AsObject())
            {
                if (operation is JsonObject o && (string?)o["operationId"] == operationId)
                {
                    return o;
                }
            }
        }

        throw new KeyNotFoundException($"No operation '{operationId}' in the spec.");
    }

    private JsonNode Resolve(JsonNode schema)
    {
        while (schema is JsonObject o && o["$ref"] is JsonValue reference)
        {
            var target = _root;
            foreach (var segment in ((string)reference!)[2..].Split('/'))
            {
                target = target[segment] ?? throw new KeyNotFoundException((string)reference!);
            }

            schema = target;
        }

        return schema;
    }

    private void Check(JsonNode schemaNode, JsonElement value, string path, List<string> errors, int depth)
    {
        if (depth > 40 || Resolve(schemaNode) is not JsonObject schema)
        {
            return;
        }

        if (schema["allOf"] is JsonArray all)
        {
            foreach (var part in all)
            {
                Check(part!, value, path, errors, depth + 1);
            }
        }

        foreach (var union in (string[])["anyOf", "oneOf"])
        {
            if (schema[union] is JsonArray options)
            {
                var best = (List<string>?)null;
                foreach (var option in options)
                {
                    var optionErrors = new List<string>();
                    Check(option!, value, path, optionErrors, depth + 1);
                    if (optionErrors.Count == 0)
                    {
                        best = null;
                        goto matched;
                    }

                    if (best is null || optionErrors.Count < best.Count)
                    {
                        best = optionErrors;
                    }
                }

                errors.Add($"{path}: matches none of {union} ({(best is { Count: > 0 } ? best[0] : "no options")})");
                return;
            matched:;
            }
        }

        var types = schema["type"] switch
        {
            JsonArray array => array.Select(t => (string)t!).ToList(),
            JsonValue single => [(string)single!],
            _ => [],
        };
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (types.Count > 0 && !types.Contains("null") && schema["nullable"] is not JsonValue)
            {
                errors.Add($"{path}: null where the spec says {string.Join("|", types)}");
            }

            return;
        }

        if (types.Count > 0 && !types.Any(t => Is(value, t)))
        {
            errors.Add($"{path}: {value.ValueKind} where the spec says {string.Join("|", types)}");
            return;
        }

        if (schema["enum"] is JsonArray values && value.ValueKind == JsonValueKind.String
            && !values.Any(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) && s == value.GetString()))
        {
            errors.Add($"{path}: '{value.GetString()}' is not one of [{string.Join(", ", values.Select(v => v?.ToString()))}]");
        }

        if (schema["const"] is JsonValue constant && value.ValueKind == JsonValueKind.String && constant.ToString() != value.GetString())
        {
            errors.Add($"{path}: '{value.GetString()}' is not the constant '{constant}'");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema["required"] is JsonArray required)
            {
                foreach (var name in required.Select(r => (string)r!))
                {
                    if (!value.TryGetProperty(name, out _))
                    {
                        errors.Add($"{path}: missing required property '{name}'");
                    }
                }
            }

            if (schema["properties"] is JsonObject properties)
            {
                foreach (var property in value.EnumerateObject())
                {
                    if (properties[property.Name] is { } propertySchema)
                    {
                        Check(propertySchema, property.Value, $"{path}.{property.Name}", errors, depth + 1);
                    }
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema["items"] is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{i++}]", errors, depth + 1);
            }
        }
    }

    private static bool Is(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Truncate(string text) => text.Length > 2000 ? text[..2000] + "..." : text;
}
