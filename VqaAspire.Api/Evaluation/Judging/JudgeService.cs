using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation.Judging;

/// <summary>
/// Grades an open-ended answer against the truth with an LLM on a four-level scale, by structured output at
/// temperature 0 with a fixed seed. Verdicts are cached, so the same answer is never judged twice by the same judge.
/// </summary>
/// <remarks>
/// The cache key is the judge's endpoint (host and path: never a key), the requested judge model, the prompt version
/// and text, the question, the truth and the prediction; a verdict from the emulator is thus never reused on a real
/// provider. The model snapshot is only known once the provider answers, so each verdict stores the snapshot that gave
/// it, and the latest snapshot seen per endpoint and model is kept beside: a cached verdict from another snapshot than
/// the latest (an alias such as gpt-4o that moved on) is judged again. An evaluation pins its snapshot by asking its
/// first verdict of the judge (<see cref="JudgeSession"/>), so a cache hit is checked against the snapshot now behind
/// the alias, not only the one last seen.
/// </remarks>
public sealed class JudgeService(IConnectionMultiplexer redis, JudgePrompts prompts)
{
    /// <summary>Bumped whenever the prompt, the message layout or the schema changes: old verdicts then stop being reused.</summary>
    public const string PromptVersion = "judge-v2";

    /// <summary>Sent with every judge request, so a provider that honours seeds grades the same answer the same way.</summary>
    public const int Seed = 42;

    private const string KeyPrefix = "vqa:judge:";

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

    /// <summary>The judge an evaluation asks, on the run's provider or the endpoint the request names, with the prompt for its dataset.</summary>
    public async Task<JudgeSession> StartAsync(IModelProvider runProvider, EvaluationView evaluation)
    {
        var choice = JudgeChoice.Of(evaluation.Settings);
        var provider = choice.Endpoint is { Length: > 0 } endpoint ? runProvider.ForEndpoint(new Uri(endpoint)) : runProvider;
        return new JudgeSession(this, provider, choice.Model, await prompts.ForRunAsync(evaluation.RunId));
    }

    /// <summary>
    /// The verdict, from the cache or the judge; null when the judge's answer cannot be read. A cached verdict is reused
    /// only from the latest snapshot this endpoint reported for the model.
    /// </summary>
    public async Task<JudgeVerdict?> RateAsync(IModelProvider provider, string judgeModel, JudgePrompt prompt, string question, string truth, string prediction,
        CancellationToken cancellationToken)
    {
        var latest = await redis.GetDatabase().StringGetAsync(SnapshotKey(EndpointIdentity(provider.Settings), judgeModel));
        return await RateAsync(provider, judgeModel, prompt, question, truth, prediction, latest.IsNull ? null : latest.ToString(), cancellationToken, anySnapshot: latest.IsNull);
    }

    /// <summary>The verdict, from the cache only when it came from <paramref name="snapshot"/> (an evaluation's pinned one), else from the judge.</summary>
    public Task<JudgeVerdict?> RateAsync(IModelProvider provider, string judgeModel, JudgePrompt prompt, string question, string truth, string prediction,
        string? snapshot, CancellationToken cancellationToken) =>
        RateAsync(provider, judgeModel, prompt, question, truth, prediction, snapshot, cancellationToken, anySnapshot: false);

    /// <summary>Asks the judge, whatever the cache holds, and caches its verdict; the snapshot is the one its answer named.</summary>
    public async Task<(JudgeVerdict? Verdict, string? Snapshot)> AskAsync(IModelProvider provider, string judgeModel, JudgePrompt prompt, string question, string truth,
        string prediction, CancellationToken cancellationToken)
    {
        var endpoint = EndpointIdentity(provider.Settings);
        var db = redis.GetDatabase();
        var answer = await provider.CompleteChatAsync(judgeModel, prompt.Messages(question, truth, prediction),
            new ChatAnswerOptions(Temperature: 0, Seed: Seed, MaxTokens: 200, ResponseFormatJson: ResponseFormat), cancellationToken);
        if (answer.Model is { Length: > 0 } snapshot)
        {
            await db.StringSetAsync(SnapshotKey(endpoint, judgeModel), snapshot);
        }

        var verdict = ReadVerdict(answer.Text, answer.Model, answer.SystemFingerprint == EvaluationRunner.EmulatorFingerprint);
        if (verdict is not null)
        {
            await db.StringSetAsync(VerdictKey(endpoint, judgeModel, prompt, question, truth, prediction), JsonSerializer.Serialize(verdict));
        }

        return (verdict, answer.Model);
    }

    private async Task<JudgeVerdict?> RateAsync(IModelProvider provider, string judgeModel, JudgePrompt prompt, string question, string truth, string prediction,
        string? snapshot, CancellationToken cancellationToken, bool anySnapshot)
    {
        var key = VerdictKey(EndpointIdentity(provider.Settings), judgeModel, prompt, question, truth, prediction);
        if (Deserialize(await redis.GetDatabase().StringGetAsync(key)) is { } cached && (anySnapshot || cached.ModelSnapshot == snapshot))
        {
            return cached;
        }

        return (await AskAsync(provider, judgeModel, prompt, question, truth, prediction, cancellationToken)).Verdict;
    }

    internal static JudgeVerdict? ReadVerdict(string text, string? modelSnapshot, bool emulated = false)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? Field(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return Field("rating") is { } rating && JudgeRatings.All.Contains(rating)
                ? new JudgeVerdict(rating, Field("explanation") is { Length: > 0 } explanation ? explanation.Trim() : null, modelSnapshot, emulated)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The endpoint's host, port and path: enough to tell providers apart, and nothing secret.</summary>
    internal static string EndpointIdentity(ProviderOptions settings)
    {
        var uri = settings.ResolveEndpoint();
        return (uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}").ToLowerInvariant() + uri.AbsolutePath.TrimEnd('/');
    }

    private static JudgeVerdict? Deserialize(RedisValue value)
    {
        if (value.IsNull)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<JudgeVerdict>(value.ToString());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string VerdictKey(string endpoint, string judgeModel, JudgePrompt prompt, string question, string truth, string prediction) =>
        KeyPrefix + Hash(endpoint, judgeModel, PromptVersion, prompt.Text, question, truth, prediction);

    private static string SnapshotKey(string endpoint, string judgeModel) => KeyPrefix + "snapshot:" + Hash(endpoint, judgeModel);

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))));
}
