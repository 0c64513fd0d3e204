using System.Diagnostics;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>Whether this machine runs a container engine, so tests know which cache the AppHost chose.</summary>
public static class ContainerEngine
{
    private static readonly Lazy<bool> Cached = new(Probe);

    public static bool Answers() => Cached.Value;

    private static bool Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            return process.WaitForExit(TimeSpan.FromSeconds(10)) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
