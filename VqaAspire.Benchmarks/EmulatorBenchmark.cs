using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VqaAspire.OpenAIEmulator;

namespace VqaAspire.Benchmarks;

/// <summary>
/// Chat completions per second the emulator sustains on loopback with no injected latency, against the 2,000/s
/// target (so it never limits an evaluation benchmark). Each request carries a question and a base64 PNG, as the
/// pipeline's evaluation requests do. Client and server share the machine.
/// Options: --seconds N (default 10), --concurrency N (default 64).
/// </summary>
public sealed class EmulatorBenchmark : IBenchmark
{
    private const double TargetPerSecond = 2_000;

    // A 1x1 RGB PNG.
    private const string Image = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

    public string Name => "emulator";

    public string Description => "OpenAI emulator chat completions per second on loopback, against the 2,000/s target.";

    public async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var concurrency = Option(args, "--concurrency", 64);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "vqaaspire-bench-emulator-" + Guid.NewGuid().ToString("N"));
        await using var app = EmulatorApp.Build(
            ["--urls=http://127.0.0.1:0", $"--Emulator:DataDirectory={dataDirectory}"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(address + "/"),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-bench");
        var body = Encoding.UTF8.GetBytes(
            "{\"model\":\"gpt-4o-2024-08-06\",\"seed\":42,\"messages\":[{\"role\":\"system\",\"content\":\"Answer questions about book covers.\"}," +
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Question: Is this book related to Travel?\"}," +
            $"{{\"type\":\"image_url\",\"image_url\":{{\"url\":\"data:image/png;base64,{Image}\",\"detail\":\"high\"}}}}]}}]}}");

        Console.WriteLine($"emulator benchmark: {concurrency} concurrent clients, 2 s warm-up, {seconds} s measured, {Environment.ProcessorCount} cores shared by client and server");
        await RunPhaseAsync(http, body, concurrency, TimeSpan.FromSeconds(2));
        var (completed, failed, latencies) = await RunPhaseAsync(http, body, concurrency, TimeSpan.FromSeconds(seconds));

        var perSecond = completed / (double)seconds;
        latencies.Sort();
        string Ms(double q) => latencies.Count == 0 ? "-" : (latencies[(int)Math.Min(latencies.Count - 1, q * latencies.Count)] * 1000).ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine($"requests:        {completed} ok, {failed} failed");
        Console.WriteLine($"throughput:      {perSecond.ToString("0", CultureInfo.InvariantCulture)} requests/s");
        Console.WriteLine($"latency:         p50 {Ms(0.5)} ms, p99 {Ms(0.99)} ms");
        Console.WriteLine($"ratio to target: {(perSecond / TargetPerSecond).ToString("0.00", CultureInfo.InvariantCulture)} x 2,000 requests/s ({(perSecond >= TargetPerSecond ? "meets" : "misses")} the target)");

        await app.StopAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; the OS cleans it.
        }

        return failed == 0 ? 0 : 1;
    }

    private static async Task<(long Completed, long Failed, List<double> Latencies)> RunPhaseAsync(HttpClient http, byte[] body, int concurrency, TimeSpan duration)
    {
        long completed = 0, failed = 0;
        var latencies = new List<double>[concurrency];
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (Stopwatch.GetTimestamp() < stop)
            {
                var started = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("v1/chat/completions", content);
                await response.Content.CopyToAsync(Stream.Null);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref completed);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        });
        await Task.WhenAll(workers);
        return (completed, failed, [.. latencies.SelectMany(l => l)]);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
