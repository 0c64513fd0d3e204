using System.Diagnostics;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// The official Node SDK (openai from npm, an independent client) runs node/script.mjs end to end against the
/// emulator. CI installs node and runs <c>npm ci</c> in that folder (.ci/run).
/// </summary>
public class NodeSdkTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    [SkippableNodeFact]
    public async Task The_official_node_sdk_lists_models_uploads_fine_tunes_and_chats_with_an_image()
    {
        var folder = ScriptFolder();
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "openai")),
            $"The Node SDK is not installed: run `npm ci` in {folder} (.ci/run does).");
        var start = new ProcessStartInfo("node", "script.mjs")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["OPENAI_BASE_URL"] = new Uri(server.BaseUrl, "v1").ToString(),
                ["OPENAI_API_KEY"] = server.ClientKey,
            },
        };

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(ScriptTimeout);

        Assert.True(process.ExitCode == 0, $"node script.mjs failed ({process.ExitCode}):\n{await output}\n{await errors}");
        Assert.Contains("chat: Author 3", await output);
        Assert.Contains("node sdk: ok", await output);
    }

    /// <summary>The script's folder in the source tree (tests run from bin/).</summary>
    internal static string ScriptFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "VqaAspire.Tests", "Emulator", "node");
            if (File.Exists(Path.Combine(candidate, "script.mjs")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("VqaAspire.Tests/Emulator/node not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that is skipped, with the reason, only on a machine without node on its PATH.</summary>
public sealed class SkippableNodeFactAttribute : FactAttribute
{
    public SkippableNodeFactAttribute()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(folder => File.Exists(Path.Combine(folder, "node")) || File.Exists(Path.Combine(folder, "node.exe")));
        if (!onPath)
        {
            Skip = "node is not installed on this machine (CI installs it in .ci/run).";
        }
    }
}
