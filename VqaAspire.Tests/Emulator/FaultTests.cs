using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI.Chat;
using VqaAspire.OpenAIEmulator.Faults;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>Each injectable fault, set through <c>POST /admin/faults</c>, seen by a client as OpenAI would show it.</summary>
[Trait("Category", TestCategories.Unit)]
public class FaultTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    private static readonly object Hello = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "Is this a cookbook?" } } };

    public Task InitializeAsync() => SetFaultsAsync(new FaultSettings());

    public Task DisposeAsync() => SetFaultsAsync(new FaultSettings());

    [Fact]
    public async Task PastTheRequestsPerMinuteLimitTheAnswerIs429WithRetryAfterAndRateLimitHeaders()
    {
        await SetFaultsAsync(new FaultSettings { RequestsPerMinute = 2 });
        using var http = server.CreateHttpClient();

        using var first = await http.PostAsJsonAsync("v1/chat/completions", Hello);
        using var second = await http.PostAsJsonAsync("v1/chat/completions", Hello);
        using var third = await http.PostAsJsonAsync("v1/chat/completions", Hello);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("2", first.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("1", first.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("0", third.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Matches(@"^\d+(\.\d+)?(ms|s)$|^\d+m\d+s$", third.Headers.GetValues("x-ratelimit-reset-requests").Single());
        var body = await third.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limit_exceeded", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("requests", body.GetProperty("error").GetProperty("type").GetString());
        OpenApiSpec.Instance.AssertConforms(OpenApiSpec.Instance.Schema("ErrorResponse"), body, "429");

        // The SDK sees the same 429 (its retries are off in these tests).
        var sdkError = await Assert.ThrowsAsync<ClientResultException>(() => server.CreateOpenAIClient().GetChatClient("gpt-4o").CompleteChatAsync("Is it?"));
        Assert.Equal(429, sdkError.Status);
    }

    [Fact]
    public async Task PastTheTokensPerMinuteLimitTheAnswerIs429NamingTokens()
    {
        await SetFaultsAsync(new FaultSettings { TokensPerMinute = 40 });
        using var http = server.CreateHttpClient();
        var large = new { model = "gpt-4o", messages = new[] { new { role = "user", content = new string('x', 400) } } };

        using var response = await http.PostAsJsonAsync("v1/chat/completions", large);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("40", response.Headers.GetValues("x-ratelimit-limit-tokens").Single());
        Assert.True(response.Headers.Contains("x-ratelimit-reset-tokens"));
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("tokens", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ARateLimitErrorRateAnswersThatShareWith429AskingForAShortWait()
    {
        await SetFaultsAsync(new FaultSettings { RateLimitErrorRate = 0.5, RetryAfterMilliseconds = 300 });
        using var http = server.CreateHttpClient();

        var limited = 0;
        for (var i = 0; i < 200; i++)
        {
            using var response = await http.PostAsJsonAsync("v1/chat/completions", Hello);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited++;
                Assert.Equal("300", response.Headers.GetValues("retry-after-ms").Single());
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        // Half of 200, give or take five standard deviations (about 35).
        Assert.InRange(limited, 65, 135);
    }

    [Fact]
    public async Task AServerErrorRateOfOneAnswersEveryRequestWith500Or503()
    {
        await SetFaultsAsync(new FaultSettings { ServerErrorRate = 1 });
        using var http = server.CreateHttpClient();

        var statuses = new HashSet<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await http.PostAsJsonAsync("v1/chat/completions", Hello);
            statuses.Add(response.StatusCode);
            Assert.Equal("server_error", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("type").GetString());
        }

        Assert.Subset(new HashSet<HttpStatusCode> { HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable }, statuses);
        Assert.NotEmpty(statuses);
    }

    [Fact]
    public async Task InjectedLatencyDelaysEveryAnswer()
    {
        await SetFaultsAsync(new FaultSettings { LatencyMilliseconds = 300, LatencyJitterMilliseconds = 50 });
        using var http = server.CreateHttpClient();

        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("v1/chat/completions", Hello);
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(watch.ElapsedMilliseconds, 290, 10_000);
    }

    [Fact]
    public async Task LatencySpikesHoldOnlyThatFractionOfAnswers()
    {
        // Half the answers held 1.5 s, the other half not held: over 20 answers both kinds show (all alike: 2 in a
        // million). Which were held is read from the emulator's header, as a busy machine can make any answer slow.
        await SetFaultsAsync(new FaultSettings { LatencySpikeRate = 0.5, LatencySpikeMilliseconds = 1500 });
        using var http = server.CreateHttpClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("v1/chat/completions", Hello);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var held = response.Headers.TryGetValues(FaultInjector.InjectedDelayHeader, out var values) ? int.Parse(values.Single(), CultureInfo.InvariantCulture) : 0;
            return (Held: held, Took: watch.ElapsedMilliseconds);
        }));

        Assert.All(answers, a => Assert.True(a.Held is 0 or 1500, $"held {a.Held} ms"));
        Assert.Contains(answers, a => a.Held == 1500);
        Assert.Contains(answers, a => a.Held == 0);
        Assert.All(answers.Where(a => a.Held == 1500), a => Assert.True(a.Took >= 1490, $"a spiked answer came after {a.Took} ms"));
    }

    [Fact]
    public async Task WithAFailJobRateOfOneARunningJobFailsWithAnInternalError()
    {
        await SetFaultsAsync(new FaultSettings { FailJobRate = 1 });
        using var http = server.CreateHttpClient();
        var fileId = await TestData.UploadAsync(http, string.Join('\n', TestData.TrainingLines(10)));

        var created = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId });
        var job = await TestData.WaitForJobAsync(http, created.GetProperty("id").GetString()!);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("server_error", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("fine_tuned_model").ValueKind);
    }

    [Fact]
    public async Task InTrainingNotAvailableModeJobCreationIsRefusedWith403AsOpenAINowDoes()
    {
        await SetFaultsAsync(new FaultSettings { TrainingNotAvailable = true });
        using var http = server.CreateHttpClient();
        var fileId = await TestData.UploadAsync(http, string.Join('\n', TestData.TrainingLines(10)));

        var refused = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId }, 403);
        var sdkError = await Assert.ThrowsAsync<ClientResultException>(() =>
            server.CreateOpenAIClient().GetFineTuningClient().FineTuneAsync("gpt-4o-2024-08-06", fileId, waitUntilCompleted: false));

        Assert.Equal("training_not_available", refused.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(403, sdkError.Status);
        // Inference keeps working, as it does on OpenAI.
        var chat = await server.CreateOpenAIClient().GetChatClient("gpt-4o").CompleteChatAsync("Is it?");
        Assert.Equal("No", chat.Value.Content[0].Text);
    }

    [Fact]
    public async Task TheAdminEndpointReportsTheFaultsInForceAndRejectsNonsense()
    {
        await SetFaultsAsync(new FaultSettings { RequestsPerMinute = 100, ServerErrorRate = 0.25 });
        using var http = server.CreateHttpClient();

        var current = await TestData.GetJsonAsync(http, "admin/faults");
        var bad = await TestData.PostJsonAsync(http, "admin/faults", new { server_error_rate = 2.0 }, 400);

        Assert.Equal(100, current.GetProperty("requests_per_minute").GetInt32());
        Assert.Equal(0.25, current.GetProperty("server_error_rate").GetDouble());
        Assert.Equal("server_error_rate", bad.GetProperty("error").GetProperty("param").GetString());
    }

    private async Task SetFaultsAsync(FaultSettings settings)
    {
        using var http = server.CreateHttpClient();
        await TestData.PostJsonAsync(http, "admin/faults", JsonSerializer.SerializeToElement(settings, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
    }
}

/// <summary>An emulator started with a key: only that key passes.</summary>
public sealed class KeyedEmulatorServer : EmulatorServer
{
    protected override string? ApiKey => "sk-emulator-secret";
}

[Trait("Category", TestCategories.Unit)]
public class ApiKeyTests(KeyedEmulatorServer server) : IClassFixture<KeyedEmulatorServer>
{
    [Fact]
    public async Task StartedWithAKeyTheEmulatorAnswers401ToAnyOtherKeyAndToNone()
    {
        using var right = server.CreateHttpClient();
        using var wrong = server.CreateHttpClient("sk-wrong");
        using var none = new HttpClient { BaseAddress = server.BaseUrl };

        using var ok = await right.GetAsync("v1/models");
        using var rejected = await wrong.GetAsync("v1/models");
        using var missing = await none.GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var body = await rejected.Content.ReadAsStringAsync();
        Assert.Contains("invalid_api_key", body);
        Assert.DoesNotContain("sk-wrong", body);
        Assert.DoesNotContain("sk-emulator-secret", body);
        Assert.Equal("true", ok.Headers.GetValues("x-vqaaspire-emulated").Single());
    }
}
