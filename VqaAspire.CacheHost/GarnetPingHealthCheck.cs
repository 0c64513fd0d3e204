using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VqaAspire.CacheHost;

/// <summary>Healthy when the embedded server answers a RESP PING on its port.</summary>
public sealed class GarnetPingHealthCheck(EmbeddedGarnetServer server) : IHealthCheck
{
    private static readonly byte[] Ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", server.Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync(Ping, cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"Unexpected reply to PING: {reply.Trim()}");
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy($"Garnet does not answer on port {server.Port}.", ex);
        }
    }
}
