using Garnet;
using Microsoft.Extensions.Options;

namespace VqaAspire.CacheHost;

/// <summary>Runs a Garnet server in this process for as long as the host lives.</summary>
public sealed class EmbeddedGarnetServer(IOptions<EmbeddedCacheOptions> options, ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private GarnetServer? _server;

    public int Port => options.Value.Port;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var args = new List<string> { "--bind", "127.0.0.1", "--port", settings.Port.ToString() };
        if (!string.IsNullOrWhiteSpace(settings.DataDirectory))
        {
            Directory.CreateDirectory(settings.DataDirectory);
            // Append-only file committed on every write and replayed at start: run state must survive a restart.
            // The managed file device avoids Garnet's native one, which needs libaio (absent on a bare machine).
            args.AddRange(["--aof", "--aof-commit-freq", "0", "--recover",
                "--checkpointdir", settings.DataDirectory, "--device-type", "RandomAccess"]);
        }

        _server = new GarnetServer([.. args], loggerFactory);
        _server.Start();
        loggerFactory.CreateLogger<EmbeddedGarnetServer>().LogInformation("Garnet listening on 127.0.0.1:{Port} ({Persistence})", settings.Port,
            string.IsNullOrWhiteSpace(settings.DataDirectory) ? "in memory" : $"persisted to {settings.DataDirectory}");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
    }
}
