using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ApiEntryPoint = VqaAspire.Api.Datasets.DatasetRegistry;

namespace VqaAspire.Tests.Datasets;

// WebApplicationFactory needs a type from the api's assembly; Program is ambiguous here (the AppHost has one too).

/// <summary>
/// The api in-process (WebApplicationFactory) against an embedded Garnet server on a free loopback port, with its own
/// workspace folder. The sample seeding is on, as on a fresh machine.
/// </summary>
public sealed class DatasetApiFixture : IAsyncLifetime
{
    private GarnetServer? _garnet;

    public WebApplicationFactory<ApiEntryPoint> Factory { get; private set; } = null!;

    public TestFolder Workspace { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var port = FreePort();
        _garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(), "--device-type", "RandomAccess"]);
        _garnet.Start();
        Factory = new WebApplicationFactory<ApiEntryPoint>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:cache", $"127.0.0.1:{port}");
            web.UseSetting("Workspace:Root", Workspace.Root);
            web.UseSetting("Datasets:MaxUploadBytes", "1000000");
            // Nothing listens on port 1: a Hub download fails at once instead of waiting on the network.
            web.UseSetting("HuggingFace:Endpoint", "http://127.0.0.1:1");
        });
        Client = Factory.CreateClient();
        Client.Timeout = TimeSpan.FromSeconds(60);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        _garnet?.Dispose();
        Workspace.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
