using System.Net.Http.Json;
using StackExchange.Redis;

namespace Aspire.Hosting;

/// <summary>
/// The actions a developer wants one click away in the Aspire dashboard (and <c>aspire resource ... </c>): faults on the
/// emulator, the cookbook run and a fresh sample on the api, and a flush of the judge's cached verdicts on the cache.
/// Each reaches its service as a client would, over HTTP or Redis, and says what happened.
/// </summary>
public static class ResourceCommands
{
    public const string InjectFaults = "inject-faults";
    public const string ClearFaults = "clear-faults";
    public const string RunCookbookPipeline = "run-cookbook-pipeline";
    public const string ReimportSample = "reimport-sample";
    public const string FlushJudgeVerdicts = "flush-judge-verdicts";

    /// <summary>The preset "Inject faults" sets: 10% 429s, 5% 500s, and one request in ten held 3 s.</summary>
    public static readonly object FaultPreset = new
    {
        rate_limit_error_rate = 0.10,
        retry_after_milliseconds = 500,
        server_error_rate = 0.05,
        server_error_statuses = new[] { 500 },
        latency_spike_rate = 0.10,
        latency_spike_milliseconds = 3000,
    };

    /// <summary>Where the judge keeps its verdicts (the api's <c>JudgeService</c> key prefix).</summary>
    public const string JudgeKeyPattern = "vqa:judge:*";

    /// <summary>The cookbook's run on the sample, as the web's home button starts it: prepare, then fine-tune and evaluate with their defaults.</summary>
    private const string CookbookRun = """{"datasetId":"sample","continue":{"fineTune":{},"evaluate":{}}}""";

    /// <summary>"Inject faults" and "Clear faults" through the emulator's <c>/admin/faults</c>, with its admin key when it has one.</summary>
    public static IResourceBuilder<ProjectResource> WithFaultCommands(this IResourceBuilder<ProjectResource> emulator,
        IResourceBuilder<ParameterResource>? adminKey)
    {
        emulator.WithHttpCommand("/admin/faults", "Inject faults", commandName: InjectFaults, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            Description = "Answers 10% of /v1 requests with 429, 5% with 500, and holds 10% for 3 s, to watch the api retry.",
            IconName = "Flash",
            PrepareRequest = async context =>
            {
                await AddAdminHeadersAsync(context, adminKey);
                context.Request.Content = JsonContent.Create(FaultPreset);
            },
            GetCommandResult = context => Answer(context, "Faults on: 10% 429, 5% 500, 10% of requests held 3 s."),
        });
        emulator.WithHttpCommand("/admin/faults", "Clear faults", commandName: ClearFaults, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            Description = "Turns every injected fault off.",
            IconName = "FlashOff",
            PrepareRequest = async context =>
            {
                await AddAdminHeadersAsync(context, adminKey);
                context.Request.Content = JsonContent.Create(new { });
            },
            GetCommandResult = context => Answer(context, "Faults off."),
        });
        return emulator;
    }

    /// <summary>"Run the cookbook pipeline" and "Re-import the sample" through the api, with the access key when it needs one.</summary>
    public static IResourceBuilder<ProjectResource> WithPipelineCommands(this IResourceBuilder<ProjectResource> api)
    {
        api.WithHttpCommand("/api/runs", "Run the cookbook pipeline", commandName: RunCookbookPipeline, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            Description = "Prepares the sample, fine-tunes and evaluates, as the dashboard's home button does.",
            IconName = "Play",
            PrepareRequest = async context =>
            {
                await AddAccessKeyAsync(context, api.ApplicationBuilder);
                context.Request.Content = new StringContent(CookbookRun, System.Text.Encoding.UTF8, "application/json");
            },
            GetCommandResult = context => Answer(context, "Run started."),
        });
        api.WithHttpCommand("/api/datasets/sample/reimport", "Re-import the sample", commandName: ReimportSample, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            Description = "Draws the synthetic sample again and rebuilds its stats and pages.",
            IconName = "ArrowSync",
            PrepareRequest = context => AddAccessKeyAsync(context, api.ApplicationBuilder),
            GetCommandResult = context => Answer(context, "Sample import started."),
        });
        return api;
    }

    /// <summary>"Flush judge verdicts": deletes the judge's cached verdicts, so the next evaluation asks the judge again.</summary>
    public static IResourceBuilder<T> WithJudgeCacheCommand<T>(this IResourceBuilder<T> cache)
        where T : IResourceWithConnectionString
    {
        return cache.WithCommand(FlushJudgeVerdicts, "Flush judge verdicts", async context =>
        {
            try
            {
                var connectionString = await cache.Resource.GetConnectionStringAsync(context.CancellationToken)
                    ?? throw new InvalidOperationException("The cache has no connection string yet.");
                var deleted = await DeleteKeysAsync(connectionString, JudgeKeyPattern);
                return CommandResults.Success($"Deleted {deleted} cached judge verdict(s).");
            }
            catch (Exception e) when (e is RedisException or InvalidOperationException)
            {
                return CommandResults.Failure($"Could not flush the judge's verdicts: {e.Message}");
            }
        }, new CommandOptions
        {
            Description = "Deletes the judge's cached verdicts (keys vqa:judge:*), so the next evaluation grades every answer afresh.",
            IconName = "Delete",
            ConfirmationMessage = "Delete every cached judge verdict?",
        });
    }

    /// <summary>Scans (never KEYS, which blocks the server) and deletes in batches.</summary>
    private static async Task<long> DeleteKeysAsync(string connectionString, string pattern)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AllowAdmin = false;
        options.AbortOnConnectFail = false;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var database = redis.GetDatabase();
        long deleted = 0;
        foreach (var endpoint in redis.GetEndPoints())
        {
            var batch = new List<RedisKey>();
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: pattern, pageSize: 500))
            {
                batch.Add(key);
                if (batch.Count == 500)
                {
                    deleted += await database.KeyDeleteAsync([.. batch]);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                deleted += await database.KeyDeleteAsync([.. batch]);
            }
        }

        return deleted;
    }

    private static async Task<ExecuteCommandResult> Answer(HttpCommandResultContext context, string success)
    {
        if (context.Response.IsSuccessStatusCode)
        {
            return CommandResults.Success(success);
        }

        // The service's own words (a ProblemDetails or OpenAI error), cut short; never the request, which may hold a key.
        var body = await context.Response.Content.ReadAsStringAsync(context.CancellationToken);
        return CommandResults.Failure($"{(int)context.Response.StatusCode} {context.Response.ReasonPhrase}: {(body.Length > 300 ? body[..300] : body)}");
    }

    private static async Task AddAdminHeadersAsync(HttpCommandRequestContext context, IResourceBuilder<ParameterResource>? adminKey)
    {
        // /admin sits behind the emulator's bearer check too, which takes any key unless the emulator is given one.
        context.Request.Headers.Authorization = new("Bearer", "aspire-dashboard");
        if (adminKey is not null && await adminKey.Resource.GetValueAsync(context.CancellationToken) is { Length: > 0 } key)
        {
            context.Request.Headers.Add("X-Admin-Key", key);
        }
    }

    private static async Task AddAccessKeyAsync(HttpCommandRequestContext context, IDistributedApplicationBuilder builder)
    {
        if (builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == AuthExtensions.AccessKeyParameter) is { } parameter
            && await parameter.GetValueAsync(context.CancellationToken) is { Length: > 0 } key)
        {
            context.Request.Headers.Add("X-Api-Key", key);
        }
    }
}
