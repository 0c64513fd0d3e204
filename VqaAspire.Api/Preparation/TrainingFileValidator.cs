using System.Buffers;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using VqaAspire.Api.Imaging;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Preparation;

/// <summary>What kind of file is validated: training files need answers; a test file must not have them.</summary>
public enum JsonlPurpose
{
    Training,
    Test,
}

/// <summary>
/// Checks a chat-format JSONL file by every rule OpenAI applies to vision training files, line by line and streamed,
/// before anything is uploaded.
/// </summary>
public sealed class TrainingFileValidator(TokenCounter tokens)
{
    public const int MaxImagesPerExample = 10;
    public const long MaxImageBytes = 10L * 1024 * 1024;
    public const int MinTrainingExamples = 10;
    public const int MaxExamplesWithImages = 50_000;

    /// <summary>Errors kept in a report; the count goes on past it.</summary>
    public const int MaxReportedErrors = 500;

    private static readonly HashSet<string> Roles = ["system", "user", "assistant"];

    /// <summary>Lines read and checked together, in parallel; bounds memory on files of any size.</summary>
    private const int LinesPerBatch = 64;

    /// <summary>The token counter lines are costed with; the writer that checks lines as it writes them uses it too.</summary>
    public TokenCounter Tokens => tokens;

    public async Task<ValidationReport> ValidateAsync(string path, JsonlPurpose purpose, IReadOnlyList<string>? exampleIds, CancellationToken cancellationToken)
    {
        var tally = new ValidationTally(purpose);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var reader = System.IO.Pipelines.PipeReader.Create(stream, new System.IO.Pipelines.StreamPipeReaderOptions(bufferSize: 1 << 20));
        var batch = new List<byte[]>(LinesPerBatch);
        var results = new LineResult[LinesPerBatch];
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (TryReadLine(ref buffer, out var line))
            {
                batch.Add(line.ToArray());
                if (batch.Count == LinesPerBatch)
                {
                    CheckBatch();
                }
            }

            if (read.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    batch.Add(buffer.ToArray()); // a last line without a newline
                }

                reader.AdvanceTo(buffer.End);
                break;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        CheckBatch();
        await reader.CompleteAsync();
        return tally.Report();

        void CheckBatch()
        {
            // Lines are independent: checked on every core, then tallied in file order.
            Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => results[i] = ValidateLine(batch[i], purpose));
            for (var i = 0; i < batch.Count; i++)
            {
                var line = tally.Lines + 1;
                tally.Add(results[i], exampleIds is not null && line <= exampleIds.Count ? exampleIds[line - 1] : null);
            }

            batch.Clear();
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    internal readonly record struct LineResult(int Tokens, int Images, (string Rule, string Message)? Error);

    /// <summary>Checks one line: JSON shape, roles, images (count, size, format, colour mode, not in answers), and counts its tokens.</summary>
    internal LineResult ValidateLine(string line, JsonlPurpose purpose) => ValidateLine(System.Text.Encoding.UTF8.GetBytes(line), purpose);

    internal LineResult ValidateLine(byte[] line, JsonlPurpose purpose)
    {
        if (line.AsSpan().Trim(" \t\r"u8).IsEmpty)
        {
            return new LineResult(0, 0, ("empty_line", "The line is empty."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            return Fail("invalid_json", $"The line is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
            {
                return Fail("missing_messages", "The line must be an object with a \"messages\" array.");
            }

            if (messages.GetArrayLength() == 0)
            {
                return Fail("missing_messages", "The \"messages\" array is empty.");
            }

            int tokenCount = TokenCounter.TokensPerConversation, imageCount = 0, assistants = 0, index = 0;
            foreach (var message in messages.EnumerateArray())
            {
                index++;
                if (message.ValueKind != JsonValueKind.Object
                    || !message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
                {
                    return Fail("invalid_message", $"Message {index} has no \"role\".");
                }

                var role = roleElement.GetString()!;
                if (!Roles.Contains(role))
                {
                    return Fail("invalid_role", $"Message {index} has role \"{role}\"; only system, user and assistant are allowed.");
                }

                assistants += role == "assistant" ? 1 : 0;
                tokenCount += TokenCounter.TokensPerMessage;
                if (!message.TryGetProperty("content", out var content))
                {
                    return Fail("missing_content", $"Message {index} ({role}) has no \"content\".");
                }

                if (content.ValueKind == JsonValueKind.String)
                {
                    tokenCount += tokens.CountText(content.GetString()!);
                    continue;
                }

                if (content.ValueKind != JsonValueKind.Array)
                {
                    return Fail("invalid_content", $"Message {index} ({role}) content must be a string or an array of parts.");
                }

                foreach (var part in content.EnumerateArray())
                {
                    var type = part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    switch (type)
                    {
                        case "text" when part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String:
                            tokenCount += tokens.CountText(text.GetString()!);
                            break;
                        case "image_url":
                            if (role == "assistant")
                            {
                                return Fail("image_in_assistant", $"Message {index} is an assistant turn with an image; images are only allowed in user and system turns.");
                            }

                            imageCount++;
                            if (imageCount > MaxImagesPerExample)
                            {
                                return Fail("too_many_images", $"The example has more than {MaxImagesPerExample} images.");
                            }

                            var image = CheckImageRemembered(part);
                            if (image.Error is { } imageError)
                            {
                                return Fail(imageError.Rule, $"Message {index}, image {imageCount}: {imageError.Message}");
                            }

                            tokenCount += image.Tokens;
                            break;
                        default:
                            return Fail("invalid_content_part", $"Message {index} ({role}) has a content part of type \"{type ?? "(none)"}\"; expected text or image_url.");
                    }
                }
            }

            if (purpose == JsonlPurpose.Training && assistants == 0)
            {
                return Fail("missing_assistant", "The example has no assistant message to learn from.");
            }

            if (purpose == JsonlPurpose.Test && assistants > 0 && messages[messages.GetArrayLength() - 1].GetProperty("role").GetString() == "assistant")
            {
                return Fail("answer_in_test", "A test line must end with the user's question, not the answer.");
            }

            return new LineResult(tokenCount, imageCount, null);
        }

        static LineResult Fail(string rule, string message) => new(0, 0, (rule, message));
    }

    // Few-shot images, and an image asked several questions, repeat line after line: the last few checked are
    // remembered by their exact data URL bytes (hash to find, full comparison to be sure).
    private readonly Dictionary<int, (byte[] Url, string? Detail, LineResult Result)> _recentImages = [];
    private const int RecentImagesKept = 64;

    private LineResult CheckImageRemembered(JsonElement part)
    {
        if (!part.TryGetProperty("image_url", out var imageUrl) || imageUrl.ValueKind != JsonValueKind.Object
            || !imageUrl.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String)
        {
            return CheckImage(part);
        }

        var detail = imageUrl.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(url);
        var hash = new HashCode();
        hash.AddBytes(raw);
        var key = hash.ToHashCode();
        lock (_recentImages)
        {
            if (_recentImages.TryGetValue(key, out var known) && known.Detail == detail && known.Url.AsSpan().SequenceEqual(raw))
            {
                return known.Result;
            }
        }

        var result = CheckImage(part);
        lock (_recentImages)
        {
            if (_recentImages.Count >= RecentImagesKept)
            {
                _recentImages.Clear();
            }

            _recentImages[key] = (raw.ToArray(), detail, result);
        }

        return result;
    }

    private static LineResult CheckImage(JsonElement part)
    {
        if (!part.TryGetProperty("image_url", out var imageUrl) || imageUrl.ValueKind != JsonValueKind.Object
            || !imageUrl.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String)
        {
            return Fail("invalid_image_url", "image_url must be an object with a \"url\".");
        }

        var detail = TokenCounter.ParseDetail(imageUrl.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
        var url = urlElement.GetString()!;
        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            // OpenAI fetches these itself; offline we cannot check them, so they are costed as one low-detail tile.
            return new LineResult(TokenCounter.LowDetailImageTokens, 1, null);
        }

        const string marker = ";base64,";
        var comma = url.IndexOf(marker, StringComparison.Ordinal);
        if (!url.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase) || comma < 0)
        {
            return Fail("invalid_image_url", "The image URL is neither a base64 data URL nor an http(s) URL.");
        }

        var base64 = url.AsSpan(comma + marker.Length);
        // Checked on the encoded length first so a huge image is refused without decoding it.
        if ((long)base64.Length / 4 * 3 > MaxImageBytes + 3)
        {
            return Fail("image_too_large", $"The image is about {base64.Length / 4 * 3 / 1024.0 / 1024.0:0.0} MB; the limit is 10 MB.");
        }

        var bytes = new byte[base64.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(base64, bytes, out var written))
        {
            return Fail("invalid_image_data", "The image's base64 data does not decode.");
        }

        try
        {
            var info = Image.Identify(bytes.AsSpan(0, written).ToArray(), out var format);
            if (info is null || format is null)
            {
                return Fail("invalid_image_data", "The image data is not an image.");
            }

            var modeProblem = format switch
            {
                JpegFormat => info.Metadata.GetJpegMetadata().ColorType is JpegColorType.Cmyk or JpegColorType.Luminance
                    ? $"The JPEG is {info.Metadata.GetJpegMetadata().ColorType}; OpenAI needs RGB or RGBA." : null,
                PngFormat => info.Metadata.GetPngMetadata().ColorType is PngColorType.Rgb or PngColorType.RgbWithAlpha
                    ? null : $"The PNG is {info.Metadata.GetPngMetadata().ColorType}; OpenAI needs RGB or RGBA.",
                WebpFormat => null,
                _ => $"The image is {format.Name}; OpenAI takes JPEG, PNG or WEBP.",
            };
            return modeProblem is null
                ? new LineResult(TokenCounter.ImageTokens(info.Width, info.Height, detail), 1, null)
                : Fail(format is JpegFormat or PngFormat ? "unsupported_image_mode" : "unsupported_image_format", modeProblem);
        }
        catch (Exception ex) when (ex is UnknownImageFormatException or InvalidImageContentException or ImageFormatException)
        {
            return Fail("invalid_image_data", $"The image cannot be read: {ex.Message}");
        }

        static LineResult Fail(string rule, string message) => new(0, 0, (rule, message));
    }
}
