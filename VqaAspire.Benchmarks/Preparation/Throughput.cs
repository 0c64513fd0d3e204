using System.Diagnostics;

namespace VqaAspire.Benchmarks.Preparation;

/// <summary>Images per second of wall time, and the process's CPU time (user + system, every thread) per image.</summary>
public readonly record struct Throughput(double Rate, double CpuMs)
{
    public static Meter Start() => new(Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>The machine's 1, 5 and 15 minute load averages: how much else ran beside a measurement.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>A running measurement, started by <see cref="Start"/>.</summary>
    public readonly record struct Meter(Stopwatch Wall, TimeSpan CpuAtStart)
    {
        public Throughput Stop(int images)
        {
            Wall.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - CpuAtStart;
            return new Throughput(images / Wall.Elapsed.TotalSeconds, cpu.TotalMilliseconds / images);
        }
    }
}
