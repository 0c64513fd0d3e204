using System.Text.Json;

namespace VqaAspire.Api.Storage;

/// <summary>The one JSON shape of everything the api keeps in Redis: the web defaults, the same as the api's answers.</summary>
public static class StoreJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Redis held null for a {typeof(T).Name}.");
}
