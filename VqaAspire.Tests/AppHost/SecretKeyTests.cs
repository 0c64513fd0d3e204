using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.AppHost;

/// <summary>Starts the app with a provider key set and looks for it where it must never appear.</summary>
public sealed class SecretKeyTests(SecretKeyTests.WithKeyFixture fixture) : IClassFixture<SecretKeyTests.WithKeyFixture>
{
    public sealed class WithKeyFixture : VqaAppFixture
    {
        public const string Key = "sk-test-9f3b1c7e5a2d4e6f8a0b";

        // Emulator kind, so the key is set but nothing leaves the machine.
        protected override IEnumerable<string> Arguments =>
            ["--Parameters:openai-kind=emulator", $"--Parameters:openai-key={Key}"];
    }

    [Fact]
    public async Task StatusNeverContainsTheKey()
    {
        using var api = fixture.CreateHttpClient("api");

        var body = await api.GetStringAsync("/api/status");

        Assert.Contains("\"kind\":\"emulator\"", body);
        Assert.DoesNotContain(WithKeyFixture.Key, body);
        Assert.DoesNotContain(WithKeyFixture.Key[^8..], body);
    }

    [Fact]
    public async Task WebPageNeverContainsTheKey()
    {
        using var web = fixture.CreateHttpClient("web");

        var html = await web.GetStringAsync("/");

        Assert.Contains("provider-kind", html);
        Assert.DoesNotContain(WithKeyFixture.Key, html);
    }

    [Fact]
    public void OnlyTheApiIsGivenTheKey()
    {
        // The environment each running process was actually started with, as the orchestrator reports it.
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        var received = new List<string>();
        foreach (var name in fixture.ResourceNames())
        {
            Assert.True(notifications.TryGetCurrentState(name, out var state), $"No state for {name}.");
            if (state.Snapshot.EnvironmentVariables.Any(v => v.Value?.Contains(WithKeyFixture.Key, StringComparison.Ordinal) == true))
            {
                received.Add(name);
            }
        }

        Assert.Equal(["api"], received);
    }
}
