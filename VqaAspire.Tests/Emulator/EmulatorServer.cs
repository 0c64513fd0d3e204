using System.ClientModel;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using OpenAI;
using VqaAspire.OpenAIEmulator;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// The emulator on a real loopback port (so the Node SDK can reach it too), with its own data folder and a fast clock.
/// One per test class; <see cref="RestartAsync"/> starts a fresh process-equivalent on the same data folder.
/// </summary>
public class EmulatorServer : IAsyncLifetime
{
    public static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30);

    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "vqaaspire-tests", "emulator-" + Guid.NewGuid().ToString("N"));

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The key the emulator insists on, or null to accept any bearer key.</summary>
    protected virtual string? ApiKey => null;

    public string ClientKey => ApiKey ?? "sk-test-any-key";

    /// <summary>Extra <c>--Emulator:...=...</c> settings for a derived server.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    /// <summary>Swaps emulator services for doubles; runs after the emulator has registered its own.</summary>
    protected virtual void ReplaceServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync() => await StartAsync();

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Emulator:DataDirectory={DataDirectory}",
            "--Emulator:FineTuning:ValidatingMilliseconds=50",
            "--Emulator:FineTuning:QueuedMilliseconds=50",
            "--Emulator:FineTuning:StepMilliseconds=10",
            "--Emulator:FineTuning:TickMilliseconds=10",
            "--Emulator:BatchPhaseMilliseconds=20",
            .. ApiKey is null ? Array.Empty<string>() : [$"--Emulator:ApiKey={ApiKey}"],
            .. Arguments,
        ];
        _app = EmulatorApp.Build(args, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning), ReplaceServices);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
    }

    private async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public T Service<T>() where T : notnull => _app!.Services.GetRequiredService<T>();

    public HttpClient CreateHttpClient(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? ClientKey);
        return client;
    }

    public OpenAIClient CreateOpenAIClient() =>
        new(new ApiKeyCredential(ClientKey), new OpenAIClientOptions { Endpoint = new Uri(BaseUrl, "v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }
}
