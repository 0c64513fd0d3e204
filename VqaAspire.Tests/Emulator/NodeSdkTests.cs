using System.Diagnostics;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// The official Node SDK (openai from npm, an independent client) runs node/script.mjs end to end against the
/// emulator. CI installs node and runs <c>npm ci</c> in that folder (.ci/run); elsewhere the test runs it on first use.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public class NodeSdkTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    [SkippableNodeFact]
    public async Task TheOfficialNodeSdkListsModelsUploadsFineTunesAndChatsWithAnImage()
    {
        var folder = ScriptFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "openai")))
        {
            // .ci/run installs it; a developer's first `dotnet test` installs the locked version here.
            var install = await RunAsync("npm", "ci --no-audit --no-fund", folder, []);
            Assert.True(install.ExitCode == 0, $"npm ci failed in {folder}:\n{install.Output}\n{install.Errors}");
        }

        var (exitCode, output, errors) = await RunAsync("node", "script.mjs", folder, new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = new Uri(server.BaseUrl, "v1").ToString(),
            ["OPENAI_API_KEY"] = server.ClientKey,
        });

        Assert.True(exitCode == 0, $"node script.mjs failed ({exitCode}):\n{output}\n{errors}");
        Assert.Contains("chat: Author 3", output);
        Assert.Contains("node sdk: ok", output);
    }

    internal static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, string arguments, string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(ScriptTimeout);
        return (process.ExitCode, await output, await errors);
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
    public SkippableNodeFactAttribute() => Skip = RequiredTools.NodeMissing();
}
