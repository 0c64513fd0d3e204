using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;
using VqaAspire.Api.Status;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Scenarios;

/// <summary>The whole app on a machine with only the .NET SDK: every resource healthy, the offline defaults in use.</summary>
[Trait("Category", TestCategories.App)]
[Collection(SharedApp.Name)]
public sealed class AppStartsWithoutContainerEngineTests(SharedAppFixture fixture) : WholeAppTest(fixture)
{
    [Fact]
    public void EveryPartOfTheAppIsRunning()
    {
        // The fixture already waited for each to be healthy; here we check none of them is missing.
        var names = Fixture.ResourceNames();
        Assert.Contains("cache", names);
        Assert.Contains("openai-emulator", names);
        Assert.Contains("api", names);
        Assert.Contains("web", names);
        if (!ContainerEngine.Answers())
        {
            Assert.Contains("cache-host", names);
        }
    }

    [Fact]
    public async Task StatusReportsTheEmulatorAndTheCacheAnswering()
    {
        using var api = Fixture.CreateHttpClient("api");

        var status = await api.GetFromJsonAsync<ApiStatus>("/api/status", JsonSerializerOptions.Web);

        Assert.NotNull(status);
        Assert.Equal("emulator", status.Provider.Kind);
        Assert.True(status.Provider.IsEmulated);
        Assert.True(status.Provider.Answers, status.Provider.Error);
        Assert.Equal(ContainerEngine.Answers() ? "redis" : "embedded", status.Cache.Mode);
        Assert.True(status.Cache.Answers, status.Cache.Error);
    }

    [Fact]
    public async Task ApiWritesAndReadsThroughTheCache()
    {
        using var api = Fixture.CreateHttpClient("api");
        var status = await api.GetFromJsonAsync<ApiStatus>("/api/status", JsonSerializerOptions.Web);
        Assert.NotNull(status);

        // Read what the api wrote, from outside the api, through the same connection string it was given.
        var connectionString = await Fixture.App.GetConnectionStringAsync("cache");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!);
        var written = await redis.GetDatabase().StringGetAsync(StatusService.ProbeKey);

        Assert.Equal(status.CheckedAt, DateTimeOffset.Parse(written.ToString()));
    }

    [Fact]
    public async Task WebHomePageRendersTheApiStatus()
    {
        using var web = Fixture.CreateHttpClient("web");

        var html = await web.GetStringAsync("/");

        Assert.Contains("data-testid=\"provider-kind\"", html);
        Assert.Matches("data-testid=\"provider-kind\"[^>]*>emulator<", html);
        Assert.Contains("Emulator: not a real model", html);
        Assert.Matches("data-testid=\"cache-mode\"[^>]*>(Embedded|Redis)", html);
        Assert.DoesNotContain("The api does not answer", html);
    }

    [Fact]
    public async Task EmulatorListsModelsLikeOpenAI()
    {
        using var emulator = Fixture.CreateHttpClient("openai-emulator");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new("Bearer", "any-key");

        using var response = await emulator.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("list", body.RootElement.GetProperty("object").GetString());
        var first = body.RootElement.GetProperty("data").EnumerateArray().First(m => m.GetProperty("id").GetString() == "gpt-4o-2024-08-06");
        Assert.Equal("model", first.GetProperty("object").GetString());
        Assert.Equal(JsonValueKind.Number, first.GetProperty("created").ValueKind);
        Assert.Equal(JsonValueKind.String, first.GetProperty("owned_by").ValueKind);
    }

    [Fact]
    public async Task EmulatorRefusesARequestWithoutBearerKeyInOpenAIsErrorShape()
    {
        using var emulator = Fixture.CreateHttpClient("openai-emulator");

        using var response = await emulator.GetAsync("/v1/models");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ApiPublishesItsOpenApiDocument()
    {
        using var api = Fixture.CreateHttpClient("api");

        using var document = JsonDocument.Parse(await api.GetStringAsync("/openapi/v1.json"));

        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/api/status", out _));
    }

    [Fact]
    public async Task UnknownApiRouteAnswersProblemDetails()
    {
        using var api = Fixture.CreateHttpClient("api");

        using var response = await api.GetAsync("/api/no-such-thing");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
