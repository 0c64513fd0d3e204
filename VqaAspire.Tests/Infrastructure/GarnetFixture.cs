using System.Net;
using System.Net.Sockets;
using Garnet;
using StackExchange.Redis;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>A real Redis-protocol server (Garnet, in memory) in the test process, for code that talks to the cache.</summary>
public sealed class GarnetFixture : IAsyncLifetime
{
    private GarnetServer? _server;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString()]);
        _server.Start();
        Redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true");
    }

    /// <summary>Empties the cache, so a test starts cold.</summary>
    public async Task FlushAsync()
    {
        foreach (var endpoint in Redis.GetEndPoints())
        {
            await Redis.GetServer(endpoint).FlushAllDatabasesAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        _server?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
