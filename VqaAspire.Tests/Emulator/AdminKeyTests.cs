using System.Net;
using System.Net.Http.Json;
using VqaAspire.OpenAIEmulator.Faults;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// The emulator as published: <c>/admin/faults</c> answers only requests carrying the admin key, refuses the others
/// without turning anything on, and never shows the key back.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class AdminKeyTests(AdminKeyTests.LockedEmulator server) : IClassFixture<AdminKeyTests.LockedEmulator>
{
    public const string AdminKey = "admin-key-5b9e0c3d7f1a4e68";

    public sealed class LockedEmulator : EmulatorServer
    {
        protected override IEnumerable<string> Arguments => [$"--Emulator:AdminKey={AdminKey}"];
    }

    [Fact]
    public async Task WithoutTheKeyTheFaultsCannotBeReadOrChanged()
    {
        using var client = server.CreateHttpClient();

        using var read = await client.GetAsync("admin/faults");
        using var change = await client.PostAsJsonAsync("admin/faults", new { server_error_rate = 1.0 });

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, change.StatusCode);
        Assert.Contains(AdminKeyFilter.HeaderName, await change.Content.ReadAsStringAsync());
        Assert.Equal(0, server.Service<FaultInjector>().Settings.ServerErrorRate);
    }

    [Fact]
    public async Task AWrongKeyIsForbiddenAndNotEchoed()
    {
        using var client = server.CreateHttpClient();
        client.DefaultRequestHeaders.Add(AdminKeyFilter.HeaderName, "admin-key-guess-000");

        using var change = await client.PostAsJsonAsync("admin/faults", new { server_error_rate = 1.0 });
        var body = await change.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.DoesNotContain("admin-key-guess-000", body);
        Assert.DoesNotContain(AdminKey, body);
        Assert.Equal(0, server.Service<FaultInjector>().Settings.ServerErrorRate);
    }

    [Fact]
    public async Task WithTheKeyFaultsAreSetAndTheKeyIsNotInTheAnswer()
    {
        using var client = server.CreateHttpClient();
        client.DefaultRequestHeaders.Add(AdminKeyFilter.HeaderName, AdminKey);

        try
        {
            using var change = await client.PostAsJsonAsync("admin/faults", new { latency_milliseconds = 7 });
            var body = await change.Content.ReadAsStringAsync();
            using var read = await client.GetAsync("admin/faults");

            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
            Assert.DoesNotContain(AdminKey, body);
            Assert.DoesNotContain(AdminKey, string.Join(";", change.Headers.Select(h => string.Join(",", h.Value))));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(7, server.Service<FaultInjector>().Settings.LatencyMilliseconds);
        }
        finally
        {
            server.Service<FaultInjector>().Replace(new FaultSettings());
        }
    }
}
