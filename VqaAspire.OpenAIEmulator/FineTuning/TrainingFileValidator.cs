using System.Text.Json;
using VqaAspire.OpenAIEmulator.Chat;

namespace VqaAspire.OpenAIEmulator.FineTuning;

/// <summary>What reading a training or validation file found: the first broken rule, counts, and what it teaches.</summary>
public sealed class TrainingFileReport
{
    public JobError? Error { get; set; }

    public int Examples { get; set; }

    public int ExamplesWithImages { get; set; }

    public long Tokens { get; set; }

    public Dictionary<string, string> Answers { get; } = [];

    public Dictionary<string, Dictionary<string, int>> AnswerCountsByKind { get; } = [];
}

/// <summary>
/// Checks a chat-format JSONL file by OpenAI's vision fine-tuning rules: each line valid JSON with <c>messages</c>;
/// roles system/user/assistant; at least one assistant message; at most 10 images per example; each image at most
/// 10 MB, JPEG/PNG/WEBP, RGB or RGBA; no images in assistant turns; at most 65,536 tokens per example; at least 10
/// examples (training file); at most 50,000 examples with images. The first broken rule fails the job, naming the rule
/// and the line. The file is streamed line by line.
/// </summary>
public static class TrainingFileValidator
{
    public const int MaxImagesPerExample = 10;
    public const long MaxImageBytes = 10L * 1024 * 1024;
    public const int MaxTokensPerExample = 65_536;
    public const int MinExamples = 10;
    public const int MaxExamplesWithImages = 50_000;

    private static readonly string[] Roles = ["system", "user", "assistant"];
    private static readonly string[] Formats = ["jpeg", "png", "webp"];

    public static async Task<TrainingFileReport> ReadAsync(Stream stream, bool isTraining, bool learn, CancellationToken cancellationToken)
    {
        var report = new TrainingFileReport();
        var param = isTraining ? "training_file" : "validation_file";
        var which = isTraining ? "training" : "validation";
        using var reader = new StreamReader(stream);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (CheckLine(line, lineNumber, report, learn) is { } problem)
            {
                report.Error = new JobError(
                    $"invalid_{which}_file",
                    $"The job failed due to an invalid {which} file. Invalid file format. Line {lineNumber}, rule {problem.Rule}: {problem.Detail}",
                    param);
                return report;
            }
        }

        if (isTraining && report.Examples < MinExamples)
        {
            report.Error = new JobError($"invalid_{which}_file",
                $"The job failed due to an invalid {which} file. Invalid file format, rule min_examples: the file has {report.Examples} example(s), but must have at least {MinExamples} examples.", param);
        }
        else if (report.ExamplesWithImages > MaxExamplesWithImages)
        {
            report.Error = new JobError($"invalid_{which}_file",
                $"The job failed due to an invalid {which} file. Invalid file format, rule max_examples_with_images: the file has {report.ExamplesWithImages} examples with images; at most {MaxExamplesWithImages} are allowed.", param);
        }

        return report;
    }

    private static (string Rule, string Detail)? CheckLine(string line, int lineNumber, TrainingFileReport report, bool learn)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return ("valid_json", $"the line is not valid JSON ({e.Message}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind != JsonValueKind.Array || messagesElement.GetArrayLength() == 0)
            {
                return ("messages", "the example must be a JSON object with a non-empty 'messages' array.");
            }

            var messages = new List<ParsedMessage>();
            var images = 0;
            long tokens = 3;
            var index = 0;
            foreach (var element in messagesElement.EnumerateArray())
            {
                var param = $"messages[{index++}]";
                ParsedMessage message;
                try
                {
                    message = MessageReader.Read(element, param, Roles, MaxImageBytes, Formats);
                }
                catch (OpenAIRequestException e)
                {
                    var rule = e.Code switch
                    {
                        "image_too_large" => "image_size",
                        "invalid_image_format" => "image_format",
                        "invalid_image_url" => "image_url",
                        _ when e.Param?.EndsWith(".role", StringComparison.Ordinal) == true => "roles",
                        _ => "message_format",
                    };
                    return (rule, $"{e.Param}: {e.Message}");
                }

                if (message.Images.Count > 0 && message.Role == "assistant")
                {
                    return ("no_images_in_assistant_messages", $"{param}: images are not allowed in assistant messages.");
                }

                foreach (var image in message.Images)
                {
                    if (!image.Info.IsRgbOrRgba)
                    {
                        return ("image_mode", $"{param}: an image is in colour mode {image.Info.ColorMode}; training images must be RGB or RGBA.");
                    }

                    tokens += TokenCounts.ImageTokens(image.Info.Width, image.Info.Height, image.Detail);
                }

                images += message.Images.Count;
                tokens += 3 + TokenCounts.TextTokens(message.Text);
                messages.Add(message);
            }

            if (!messages.Any(m => m.Role == "assistant"))
            {
                return ("assistant_message", "the example has no assistant message; each example needs at least one.");
            }

            if (images > MaxImagesPerExample)
            {
                return ("max_images", $"the example has {images} images; at most {MaxImagesPerExample} are allowed per example.");
            }

            if (tokens > MaxTokensPerExample)
            {
                return ("max_tokens", $"the example has about {tokens} tokens; at most {MaxTokensPerExample} are allowed per example.");
            }

            report.Examples++;
            report.ExamplesWithImages += images > 0 ? 1 : 0;
            report.Tokens += tokens;
            if (learn)
            {
                Learn(messages, report);
            }
        }

        return null;
    }

    // Every user turn followed by an assistant turn is a pair the model learns (few-shot pairs included); the last
    // answer for an image and question wins.
    private static void Learn(List<ParsedMessage> messages, TrainingFileReport report)
    {
        for (var i = 0; i + 1 < messages.Count; i++)
        {
            if (messages[i].Role != "user" || messages[i + 1].Role != "assistant")
            {
                continue;
            }

            var question = AnswerPolicy.NormaliseQuestion(messages[i].Text);
            var answer = messages[i + 1].Text;
            var image = messages[i].Images.Count > 0 ? messages[i].Images[^1].Hash : null;
            var key = TrainedKnowledge.Key(image, question);
            var known = report.Answers.TryGetValue(key, out var previous);
            report.Answers[key] = answer;

            // Frequencies count distinct pairs: few-shot pairs repeated on every line would otherwise win every kind.
            if (known && previous == answer)
            {
                continue;
            }

            var kind = AnswerPolicy.QuestionKind(question);
            if (!report.AnswerCountsByKind.TryGetValue(kind, out var counts))
            {
                report.AnswerCountsByKind[kind] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            counts[answer] = counts.GetValueOrDefault(answer) + 1;
        }
    }
}
