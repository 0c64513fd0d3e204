using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using StackExchange.Redis;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// What a developer finds on each resource in the Aspire dashboard: the commands, executed as the dashboard executes them
/// (through <see cref="ResourceCommandService"/>) and checked by their effect on the service, and the named URLs and the
/// embedded cache host shown under the cache.
/// </summary>
[Trait("Category", TestCategories.App)]
[Collection(SharedApp.Name)]
public sealed class DashboardResourceTests(DashboardResourceTests.EmbeddedCacheApp fixture) : WholeAppTest(fixture), IClassFixture<DashboardResourceTests.EmbeddedCacheApp>
{
    public sealed class EmbeddedCacheApp : VqaAppFixture
    {
        // The embedded host is the one with a parent to show; a container engine would give a Redis container instead.
        protected override IEnumerable<string> Arguments => ["--Cache:Mode=embedded"];
    }

    [Fact]
    public async Task InjectFaultsTurnsThePresetOnAndClearFaultsTurnsItOff()
    {
        using var emulator = EmulatorClient();
        try
        {
            var injected = await ExecuteAsync("openai-emulator", ResourceCommands.InjectFaults);
            var on = await FaultsAsync(emulator);

            Assert.True(injected.Success, injected.Message);
            Assert.Equal(0.10, on.GetProperty("rate_limit_error_rate").GetDouble());
            Assert.Equal(0.05, on.GetProperty("server_error_rate").GetDouble());
            Assert.Equal([500], on.GetProperty("server_error_statuses").EnumerateArray().Select(s => s.GetInt32()));
            Assert.True(on.GetProperty("latency_spike_rate").GetDouble() > 0);
            Assert.True(on.GetProperty("latency_spike_milliseconds").GetInt32() >= 1000);
        }
        finally
        {
            var cleared = await ExecuteAsync("openai-emulator", ResourceCommands.ClearFaults);
            Assert.True(cleared.Success, cleared.Message);
        }

        var off = await FaultsAsync(emulator);
        Assert.Equal(0, off.GetProperty("rate_limit_error_rate").GetDouble());
        Assert.Equal(0, off.GetProperty("server_error_rate").GetDouble());
        Assert.Equal(0, off.GetProperty("latency_spike_rate").GetDouble());
    }

    [Fact]
    public async Task RunTheCookbookPipelineStartsARunOnTheSampleThatGoesOnToFineTuneAndEvaluate()
    {
        using var api = fixture.CreateHttpClient("api");
        await api.WaitForImportAsync("sample");

        var result = await ExecuteAsync("api", ResourceCommands.RunCookbookPipeline);
        var runs = await api.GetFromJsonAsync<JsonElement>("/api/runs");

        Assert.True(result.Success, result.Message);
        var run = Assert.Single(runs.EnumerateArray());
        Assert.Equal("sample", run.GetProperty("datasetId").GetString());
        var next = run.GetProperty("settings").GetProperty("continue");
        Assert.Equal(JsonValueKind.Object, next.GetProperty("fineTune").ValueKind);
        Assert.Equal(JsonValueKind.Object, next.GetProperty("evaluate").ValueKind);

        // The run has read the sample before another test of this class may import it again.
        var id = run.GetProperty("id").GetString();
        var prepared = await Polling.WaitAsync(async () => (await api.GetFromJsonAsync<RunView>($"/api/runs/{id}"))!, r => r.Prepare.Status.IsFinished());
        Assert.Equal(StepStatus.Succeeded, prepared.Prepare.Status);
    }

    [Fact]
    public async Task ReimportTheSampleImportsItAgain()
    {
        using var api = fixture.CreateHttpClient("api");
        var before = await api.WaitForImportAsync("sample");

        var result = await ExecuteAsync("api", ResourceCommands.ReimportSample);
        var after = await Polling.WaitAsync(
            async () => (await api.GetFromJsonAsync<DatasetSummary>("/api/datasets/sample"))!,
            d => d.Status != DatasetStatuses.Importing && d.CompletedAt > before.CompletedAt,
            DatasetRequests.ImportTimeout);

        Assert.True(result.Success, result.Message);
        Assert.Equal(DatasetStatuses.Ready, after.Status);
        Assert.Equal(before.Splits.Sum(s => s.Images), after.Splits.Sum(s => s.Images));
    }

    [Fact]
    public async Task FlushJudgeVerdictsDeletesTheJudgesKeysAndNothingElse()
    {
        var connectionString = await fixture.App.GetConnectionStringAsync("cache");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!);
        var cache = redis.GetDatabase();
        await cache.StringSetAsync("vqa:judge:verdict-test-1", "{\"rating\":\"correct\"}");
        await cache.StringSetAsync("vqa:judge:snapshot:verdict-test-2", "{}");
        await cache.StringSetAsync("vqa:test:not-a-verdict", "kept");

        var result = await ExecuteAsync("cache", ResourceCommands.FlushJudgeVerdicts);

        Assert.True(result.Success, result.Message);
        Assert.Contains("Deleted", result.Message);
        Assert.False(await cache.KeyExistsAsync("vqa:judge:verdict-test-1"));
        Assert.False(await cache.KeyExistsAsync("vqa:judge:snapshot:verdict-test-2"));
        Assert.Equal("kept", (string?)await cache.StringGetAsync("vqa:test:not-a-verdict"));
    }

    [Fact]
    public async Task EachServiceShowsItsNamedUrls()
    {
        var web = await SnapshotAsync("web", s => s.Urls.Any(u => u.DisplayProperties.DisplayName == "Dashboard"));
        var api = await SnapshotAsync("api", s => s.Urls.Any(u => u.DisplayProperties.DisplayName == "OpenAPI"));
        var emulator = await SnapshotAsync("openai-emulator", s => s.Urls.Any(u => u.DisplayProperties.DisplayName == "Models"));

        Assert.Equal(fixture.App.GetEndpoint("web", "http").GetLeftPart(UriPartial.Authority),
            new Uri(web.Urls.First(u => u.DisplayProperties.DisplayName == "Dashboard").Url).GetLeftPart(UriPartial.Authority));
        var openApi = new Uri(api.Urls.First(u => u.DisplayProperties.DisplayName == "OpenAPI").Url);
        Assert.Equal("/openapi/v1.json", openApi.AbsolutePath);
        Assert.Equal("/v1/models", new Uri(emulator.Urls.First(u => u.DisplayProperties.DisplayName == "Models").Url).AbsolutePath);

        // The OpenAPI link opens the api's document.
        using var client = new HttpClient { Timeout = VqaAppFixture.RequestTimeout };
        using var document = await client.GetAsync(openApi);
        Assert.True(document.IsSuccessStatusCode, $"{openApi} answered {(int)document.StatusCode}");
    }

    [Fact]
    public async Task TheEmbeddedCacheHostIsShownUnderTheCache()
    {
        var host = await SnapshotAsync("cache-host", s => s.Relationships.Any(r => r.Type == "Parent"));

        var parent = Assert.Single(host.Relationships, r => r.Type == "Parent");
        Assert.Equal("cache", parent.ResourceName);
    }

    [Fact]
    public async Task EveryCommandIsOfferedOnItsResource()
    {
        foreach (var (resource, commands) in new[]
                 {
                     ("openai-emulator", new[] { ResourceCommands.InjectFaults, ResourceCommands.ClearFaults }),
                     ("api", [ResourceCommands.RunCookbookPipeline, ResourceCommands.ReimportSample]),
                     ("cache", [ResourceCommands.FlushJudgeVerdicts]),
                 })
        {
            var snapshot = await SnapshotAsync(resource, s => commands.All(c => s.Commands.Any(x => x.Name == c)));
            Assert.All(commands, c => Assert.Contains(snapshot.Commands, x => x.Name == c && !string.IsNullOrEmpty(x.DisplayName)));
        }
    }

    /// <summary>Runs a command as a click in the dashboard does: on one instance (the api runs as replicas, each listing the commands).</summary>
    private async Task<ExecuteCommandResult> ExecuteAsync(string resource, string command)
    {
        var instance = (await fixture.InstancesAsync(resource))[0];
        return await fixture.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(instance, command)
            .WaitAsync(VqaAppFixture.StartTimeout);
    }

    private async Task<CustomResourceSnapshot> SnapshotAsync(string resource, Func<CustomResourceSnapshot, bool> shows)
    {
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        var seen = await notifications.WaitForResourceAsync(resource, e => shows(e.Snapshot)).WaitAsync(VqaAppFixture.StartTimeout);
        return seen.Snapshot;
    }

    private HttpClient EmulatorClient()
    {
        var client = fixture.CreateHttpClient("openai-emulator");
        client.DefaultRequestHeaders.Authorization = new("Bearer", "sk-test-any-key");
        return client;
    }

    private static async Task<JsonElement> FaultsAsync(HttpClient emulator) =>
        await emulator.GetFromJsonAsync<JsonElement>("/admin/faults");
}
