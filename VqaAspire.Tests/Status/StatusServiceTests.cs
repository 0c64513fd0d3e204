using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Caching;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Status;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Status;

[Trait("Category", TestCategories.Unit)]
public sealed class StatusServiceTests(GarnetFixture cache) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task ChecksAtTheSameMomentAllFindTheCacheAnswering()
    {
        // Twenty dashboards opening Home at once (found by LoadTests): each check must read back its own write.
        var provider = new OpenAIModelProvider(Options.Create(new ProviderOptions { Kind = "emulator", Endpoint = "http://127.0.0.1:9/v1", ApiKey = "k", MaxRetries = 0 }));
        var status = new StatusService(cache.Redis, provider, Options.Create(new CacheOptions { Mode = "embedded" }), TimeProvider.System,
            NullLogger<StatusService>.Instance);

        var checks = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => status.CheckAsync(CancellationToken.None)));

        Assert.All(checks, c => Assert.True(c.Cache.Answers, c.Cache.Error));
    }

    [Fact]
    public async Task AProviderThatAnsweredAMomentAgoAndIsSlowNowIsNotReportedUnreachable()
    {
        // A busy machine: the provider answers, then takes longer than the probe waits.
        var slow = false;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var server = builder.Build();
        server.MapGet("/v1/models", async (HttpContext context) =>
        {
            if (Volatile.Read(ref slow))
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }

            return Results.Json(new { @object = "list", data = new[] { new { id = "gpt-4o", @object = "model", created = 0, owned_by = "test" } } });
        });
        await server.StartAsync();
        var endpoint = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        var provider = new OpenAIModelProvider(Options.Create(new ProviderOptions { Kind = "openai-compatible", Endpoint = endpoint, MaxRetries = 0 }));
        var status = new StatusService(cache.Redis, provider, Options.Create(new CacheOptions { Mode = "embedded" }), TimeProvider.System, NullLogger<StatusService>.Instance);

        Assert.True((await status.CheckAsync(CancellationToken.None)).Provider.Answers);
        Volatile.Write(ref slow, true);
        var busy = (await status.CheckAsync(CancellationToken.None)).Provider;

        Assert.True(busy.Answers, busy.Error);
        // One that never answered is reported as it is.
        var fresh = new StatusService(cache.Redis, provider, Options.Create(new CacheOptions { Mode = "embedded" }), TimeProvider.System, NullLogger<StatusService>.Instance);
        var never = (await fresh.CheckAsync(CancellationToken.None)).Provider;
        Assert.False(never.Answers);
        Assert.Contains("within 5 s", never.Error);
    }
}
