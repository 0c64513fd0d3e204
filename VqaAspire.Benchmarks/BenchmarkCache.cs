using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace VqaAspire.Benchmarks;

/// <summary>The Redis-protocol cache benchmarks run against: Garnet in this process, on a free loopback port.</summary>
public static class BenchmarkCache
{
    public static GarnetServer Start(out string address)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--memory", "4g"]);
        server.Start();
        address = $"127.0.0.1:{port}";
        return server;
    }
}
