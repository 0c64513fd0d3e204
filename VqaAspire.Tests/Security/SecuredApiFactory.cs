using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using VqaAspire.Tests.Datasets;
using ApiEntryPoint = VqaAspire.Api.Datasets.DatasetRegistry;

namespace VqaAspire.Tests.Security;

/// <summary>
/// The api in-process in a non-Development environment, with the given <c>Auth</c> settings, against an embedded Garnet
/// server and its own workspace folder. Settings are host settings, so the api reads them while it is being built.
/// </summary>
public sealed class SecuredApiFactory : IAsyncDisposable
{
    /// <summary>The upload limit the api runs with here, small so a test can cross it.</summary>
    public const long MaxUploadBytes = 1_000_000;

    private readonly GarnetServer _garnet;

    public SecuredApiFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null, string environment = "Production")
    {
        var port = FreePort();
        _garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(), "--device-type", "RandomAccess"]);
        _garnet.Start();
        Factory = new WebApplicationFactory<ApiEntryPoint>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("ConnectionStrings:cache", $"127.0.0.1:{port}");
            web.UseSetting("Workspace:Root", Workspace.Root);
            web.UseSetting("Datasets:SeedSample", "false");
            web.UseSetting("Datasets:MaxUploadBytes", MaxUploadBytes.ToString());
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            if (services is not null)
            {
                web.ConfigureTestServices(services);
            }
        });
    }

    public WebApplicationFactory<ApiEntryPoint> Factory { get; }

    public TestFolder Workspace { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _garnet.Dispose();
        Workspace.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
