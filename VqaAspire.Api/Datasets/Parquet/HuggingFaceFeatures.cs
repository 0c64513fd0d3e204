using System.Text.Json;

namespace VqaAspire.Api.Datasets.Parquet;

/// <summary>Reads the <c>huggingface</c> footer key that the datasets library writes: which columns are images.</summary>
public static class HuggingFaceFeatures
{
    public const string FooterKey = "huggingface";

    /// <summary>Top-level columns whose feature is an Image, or a list (Sequence/List/[...]) of Images, in footer order.</summary>
    public static IReadOnlyList<string> ImageColumns(IReadOnlyDictionary<string, string>? footer)
    {
        if (footer is null || !footer.TryGetValue(FooterKey, out var json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("info", out var info) || !info.TryGetProperty("features", out var features)
                || features.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            return [.. features.EnumerateObject().Where(f => IsImage(f.Value)).Select(f => f.Name)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static bool IsImage(JsonElement feature) => feature.ValueKind switch
    {
        JsonValueKind.Array => feature.GetArrayLength() == 1 && IsImage(feature[0]),
        JsonValueKind.Object when feature.TryGetProperty("_type", out var type) => type.GetString() switch
        {
            "Image" => true,
            "Sequence" or "List" or "LargeList" => feature.TryGetProperty("feature", out var item) && IsImage(item),
            _ => false,
        },
        _ => false,
    };
}
