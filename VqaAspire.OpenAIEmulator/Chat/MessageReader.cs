using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VqaAspire.OpenAIEmulator.Chat;

public sealed record ParsedImage(string Hash, ImageInfo Info, string? Detail, int Bytes);

public sealed record ParsedMessage(string Role, string Text, IReadOnlyList<ParsedImage> Images);

/// <summary>Reads chat messages (text and image_url parts), decoding base64 data URLs and checking them as OpenAI does.</summary>
public static class MessageReader
{
    public static readonly string[] ChatRoles = ["system", "developer", "user", "assistant", "tool"];
    private static readonly string[] Details = ["auto", "low", "high"];

    /// <summary>Reads one message; throws <see cref="OpenAIRequestException"/> naming the parameter at fault.</summary>
    public static ParsedMessage Read(JsonElement message, string param, string[] roles, long maxImageBytes, string[] formats)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIRequestException.Invalid($"Invalid type for '{param}': expected an object, but got {Describe(message)}.", param, "invalid_type");
        }

        if (!message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
        {
            throw OpenAIRequestException.Invalid($"Missing required parameter: '{param}.role'.", $"{param}.role", "missing_required_parameter");
        }

        var role = roleElement.GetString()!;
        if (!roles.Contains(role))
        {
            throw OpenAIRequestException.Invalid(
                $"Invalid value: '{role}'. Supported values are: {string.Join(", ", roles.Select(r => $"'{r}'"))}.", $"{param}.role", "invalid_value");
        }

        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            if (role == "assistant")
            {
                return new ParsedMessage(role, "", []);
            }

            throw OpenAIRequestException.Invalid($"Missing required parameter: '{param}.content'.", $"{param}.content", "missing_required_parameter");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return new ParsedMessage(role, content.GetString()!, []);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIRequestException.Invalid($"Invalid type for '{param}.content': expected a string or an array of content parts, but got {Describe(content)}.", $"{param}.content", "invalid_type");
        }

        var text = new StringBuilder();
        List<ParsedImage>? images = null;
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partParam = $"{param}.content[{index++}]";
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "text":
                    if (!part.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
                    {
                        throw OpenAIRequestException.Invalid($"Missing required parameter: '{partParam}.text'.", $"{partParam}.text", "missing_required_parameter");
                    }

                    if (text.Length > 0)
                    {
                        text.Append('\n');
                    }

                    text.Append(textElement.GetString());
                    break;
                case "image_url":
                    (images ??= []).Add(ReadImage(part, partParam, maxImageBytes, formats));
                    break;
                default:
                    throw OpenAIRequestException.Invalid(
                        $"Invalid value for '{partParam}.type': '{type}'. Supported values are: 'text' and 'image_url'.", $"{partParam}.type", "invalid_value");
            }
        }

        return new ParsedMessage(role, text.ToString(), images ?? []);
    }

    public static ParsedImage ReadImage(JsonElement part, string partParam, long maxImageBytes, string[] formats)
    {
        if (!part.TryGetProperty("image_url", out var imageUrl) || imageUrl.ValueKind != JsonValueKind.Object
            || !imageUrl.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String)
        {
            throw OpenAIRequestException.Invalid($"Missing required parameter: '{partParam}.image_url.url'.", $"{partParam}.image_url.url", "missing_required_parameter");
        }

        string? detail = null;
        if (imageUrl.TryGetProperty("detail", out var detailElement) && detailElement.ValueKind == JsonValueKind.String)
        {
            detail = detailElement.GetString();
            if (!Details.Contains(detail))
            {
                throw OpenAIRequestException.Invalid($"Invalid value: '{detail}'. Supported values are: 'auto', 'low' and 'high'.", $"{partParam}.image_url.detail", "invalid_value");
            }
        }

        var param = $"{partParam}.image_url.url";
        var url = urlElement.GetString()!;
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw OpenAIRequestException.Invalid(
                $"The emulator runs offline and cannot download '{Truncate(url)}'. Send the image inline as a base64 data URL (data:image/jpeg;base64,...).",
                param, "invalid_image_url");
        }

        const string prefix = "data:";
        var comma = url.IndexOf(',');
        if (!url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw OpenAIRequestException.Invalid(
                "Invalid image URL: expected a base64 data URL such as 'data:image/jpeg;base64,...'.", param, "invalid_image_url");
        }

        var encoded = url.AsSpan(comma + 1);
        var buffer = new byte[encoded.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var length))
        {
            throw OpenAIRequestException.Invalid("Invalid base64 image data in the data URL.", param, "invalid_image_url");
        }

        if (length > maxImageBytes)
        {
            throw OpenAIRequestException.Invalid(
                $"Image is too large: {length} bytes; at most {maxImageBytes / (1024 * 1024)} MB per image.", param, "image_too_large");
        }

        var bytes = buffer.AsSpan(0, length);
        if (ImageInfo.Read(bytes) is not { } info || !formats.Contains(info.Format))
        {
            throw OpenAIRequestException.Invalid(
                $"You uploaded an unsupported image. Please make sure your image has one of the following formats: {string.Join(", ", formats.Select(f => $"'{f}'"))}.",
                param, "invalid_image_format");
        }

        return new ParsedImage(Hash(bytes), info, detail, length);
    }

    /// <summary>The key a fine-tuned model remembers an image by: SHA-256 of its decoded bytes.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest[..16]);
    }

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Truncate(string url) => url.Length > 80 ? url[..80] + "..." : url;
}
