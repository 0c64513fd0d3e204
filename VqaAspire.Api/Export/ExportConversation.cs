using System.Security.Cryptography;
using System.Text.Json;

namespace VqaAspire.Api.Export;

/// <summary>A part of a turn, in the run's order: text, or an image saved under <see cref="ImagePath"/> in the bundle.</summary>
public sealed record ExportPart(string? Text, string? ImagePath)
{
    public bool IsImage => ImagePath is not null;
}

/// <summary>One turn of a prepared example: <c>system</c>, <c>user</c> or <c>assistant</c>.</summary>
public sealed record ExportTurn(string Role, IReadOnlyList<ExportPart> Parts)
{
    /// <summary>The turn's text parts joined, images left out.</summary>
    public string Text => string.Concat(Parts.Where(p => !p.IsImage).Select(p => p.Text));
}

/// <summary>
/// A prepared chat line with its images as files: the run's system prompt, few-shot turns, question and (for training
/// splits) answer, in the run's order, each image named by its content so a cover shared by lines is stored once.
/// </summary>
public sealed record ExportConversation(IReadOnlyList<ExportTurn> Turns)
{
    /// <summary>Every image path, in the order the turns show them (the order trainers pair placeholders with images).</summary>
    public IEnumerable<string> ImagePaths => Turns.SelectMany(t => t.Parts).Where(p => p.IsImage).Select(p => p.ImagePath!);

    /// <summary>The folder of the bundle the images go in; paths are relative to the bundle's root.</summary>
    public const string ImageFolder = "images";

    /// <summary>
    /// Reads one line of a prepared <c>{split}.jsonl</c> (OpenAI chat format, images as base64 data URLs) and hands
    /// each image's bytes to <paramref name="image"/> with the bundle path it is referred to by.
    /// </summary>
    /// <exception cref="FormatException">The line is not a chat line the preparation writes; the message says what is wrong.</exception>
    public static ExportConversation Parse(string line, Action<string, byte[]> image)
    {
        using var document = JsonDocument.Parse(line);
        if (!document.RootElement.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("The line has no messages array.");
        }

        var turns = new List<ExportTurn>();
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
            if (role is not ("system" or "user" or "assistant"))
            {
                throw new FormatException($"A message has role '{role}'; expected system, user or assistant.");
            }

            var content = message.GetProperty("content");
            var parts = new List<ExportPart>();
            if (content.ValueKind == JsonValueKind.String)
            {
                parts.Add(new ExportPart(content.GetString(), null));
            }
            else
            {
                foreach (var part in content.EnumerateArray())
                {
                    switch (part.GetProperty("type").GetString())
                    {
                        case "text":
                            parts.Add(new ExportPart(part.GetProperty("text").GetString(), null));
                            break;
                        case "image_url":
                            var (path, bytes) = ImageFile(part.GetProperty("image_url").GetProperty("url").GetString()!);
                            image(path, bytes);
                            parts.Add(new ExportPart(null, path));
                            break;
                        case var other:
                            throw new FormatException($"A {role} message has a '{other}' part; expected text or image_url.");
                    }
                }
            }

            turns.Add(new ExportTurn(role, parts));
        }

        return new ExportConversation(turns);
    }

    /// <summary>The bundle path (<c>images/{sha256 prefix}.{ext}</c>) and bytes of a base64 data URL.</summary>
    private static (string Path, byte[] Bytes) ImageFile(string dataUrl)
    {
        const string Base64Marker = ";base64,";
        var marker = dataUrl.IndexOf(Base64Marker, StringComparison.Ordinal);
        if (!dataUrl.StartsWith("data:image/", StringComparison.Ordinal) || marker < 0)
        {
            throw new FormatException("An image is not a base64 data URL; the export only copies images the preparation embedded.");
        }

        var mediaType = dataUrl["data:image/".Length..marker];
        var extension = mediaType switch
        {
            "jpeg" or "jpg" => "jpg",
            "png" => "png",
            "webp" => "webp",
            "gif" => "gif",
            _ => throw new FormatException($"An image has media type image/{mediaType}; expected jpeg, png, webp or gif."),
        };
        var bytes = Convert.FromBase64String(dataUrl[(marker + Base64Marker.Length)..]);
        // 128 bits of the content's hash: the same cover gets the same name in every line and split.
        var name = Convert.ToHexStringLower(SHA256.HashData(bytes), 0, 16);
        return ($"{ImageFolder}/{name}.{extension}", bytes);
    }
}
