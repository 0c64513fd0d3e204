using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;
using VqaAspire.Api.Providers;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Grades an open-ended answer against the truth with an LLM on a four-level scale, by structured output at
/// temperature 0. Verdicts are cached by judge model, prompt version, question, truth and prediction, so the same
/// answer is never judged twice.
/// </summary>
public sealed class JudgeService(IConnectionMultiplexer redis)
{
    /// <summary>Bumped whenever the prompt or schema changes: old verdicts then stop being reused.</summary>
    public const string PromptVersion = "judge-v1";

    public const string SystemPrompt =
        "You grade answers to questions about book covers. Compare the prediction with the ground truth and rate how " +
        "well it matches: \"Very Similar\" when it names the same thing (spelling, case, punctuation or a subtitle may " +
        "differ), \"Mostly Similar\" when the main part is right but something is missing or extra, \"Somewhat " +
        "Similar\" when only a small part matches, \"Incorrect\" otherwise. Judge the meaning, not the wording.";

    private static readonly string ResponseFormat = JsonSerializer.Serialize(new
    {
        type = "json_schema",
        json_schema = new
        {
            name = "answer_grade",
            strict = true,
            schema = new
            {
                type = "object",
                properties = new
                {
                    rating = new { type = "string", @enum = JudgeRatings.All },
                    explanation = new { type = "string" },
                },
                required = new[] { "rating", "explanation" },
                additionalProperties = false,
            },
        },
    });

    /// <summary>The rating, from the cache or the judge; null when the judge's answer cannot be read.</summary>
    public async Task<string?> RateAsync(IModelProvider provider, string judgeModel, string question, string truth, string prediction, CancellationToken cancellationToken)
    {
        var key = CacheKey(judgeModel, question, truth, prediction);
        var db = redis.GetDatabase();
        if (await db.StringGetAsync(key) is { HasValue: true } cached)
        {
            return cached.ToString();
        }

        var messages = JsonSerializer.SerializeToUtf8Bytes(new object[]
        {
            new { role = "system", content = SystemPrompt },
            new { role = "user", content = $"Question: {question}\nGround truth: {truth}\nPrediction: {prediction}" },
        });
        var answer = await provider.CompleteChatAsync(judgeModel, messages, new ChatAnswerOptions(Temperature: 0, MaxTokens: 200, ResponseFormatJson: ResponseFormat), cancellationToken);
        var rating = ReadRating(answer.Text);
        if (rating is not null)
        {
            await db.StringSetAsync(key, rating);
        }

        return rating;
    }

    internal static string? ReadRating(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var rating = json.RootElement.TryGetProperty("rating", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return JudgeRatings.All.Contains(rating) ? rating : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string CacheKey(string judgeModel, string question, string truth, string prediction)
    {
        var material = string.Join('\u001f', judgeModel, PromptVersion, question, truth, prediction);
        return "vqa:judge:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }
}
