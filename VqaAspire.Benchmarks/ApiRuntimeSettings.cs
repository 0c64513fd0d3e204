using System.Diagnostics;
using System.Text.Json;

namespace VqaAspire.Benchmarks;

/// <summary>
/// The api's GC settings, read from its runtimeconfig.json (copied beside the benchmarks), as environment variables
/// for the child processes that measure memory: they then run the api's code with the api's settings (server GC,
/// ConserveMemory), not the benchmark host's.
/// </summary>
public static class ApiRuntimeSettings
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["System.GC.Server"] = "DOTNET_gcServer",
        ["System.GC.Concurrent"] = "DOTNET_gcConcurrent",
        ["System.GC.ConserveMemory"] = "DOTNET_GCConserveMemory",
        ["System.GC.DynamicAdaptationMode"] = "DOTNET_GCDynamicAdaptationMode",
        ["System.GC.RetainVM"] = "DOTNET_GCRetainVM",
    };

    /// <summary>The settings as environment variables (numbers in hex, as the runtime reads them).</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = Read();

    /// <summary>The settings in words, for the benchmark's header.</summary>
    public static string Describe() => Environment.Count == 0
        ? "the api's runtimeconfig.json was not found: default GC settings"
        : string.Join(", ", Environment.Select(e => $"{e.Key}={e.Value}"));

    public static ProcessStartInfo Apply(ProcessStartInfo start)
    {
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static Dictionary<string, string> Read()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "VqaAspire.Api.runtimeconfig.json");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties))
        {
            return result;
        }

        foreach (var property in properties.EnumerateObject())
        {
            if (Variables.TryGetValue(property.Name, out var variable))
            {
                result[variable] = property.Value.ValueKind switch
                {
                    JsonValueKind.True => "1",
                    JsonValueKind.False => "0",
                    JsonValueKind.Number => property.Value.GetInt64().ToString("x", System.Globalization.CultureInfo.InvariantCulture),
                    _ => property.Value.ToString(),
                };
            }
        }

        return result;
    }
}
