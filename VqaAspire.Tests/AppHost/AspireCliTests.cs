using System.Diagnostics;
using System.Text.Json.Nodes;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.AppHost;

/// <summary>
/// The Aspire CLI of the repository's tool manifest (<c>dotnet tool restore</c>, which .ci/run does) on this AppHost:
/// <c>aspire do publish-manifest</c> writes the deployment manifest azd deploys, with every service and the secrets as
/// secret parameters, and <c>aspire publish</c> runs its pipeline to the end.
/// </summary>
[Trait("Category", TestCategories.App)]
public sealed class AspireCliTests : IDisposable
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(4);

    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "vqaaspire-tests", "cli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task PublishManifestWritesEveryServiceAndTheSecretsAsSecretParameters()
    {
        var (exitCode, output) = await AspireAsync("do", "publish-manifest", "-o", _outputDirectory);

        var manifestPath = Path.Combine(_outputDirectory, "aspire-manifest.json");
        Assert.True(exitCode == 0 && File.Exists(manifestPath), $"aspire do publish-manifest failed (exit code {exitCode}):\n{output}");
        var resources = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!["resources"]!.AsObject();
        foreach (var service in new[] { "api", "web", "openai-emulator", "cache" })
        {
            Assert.True(resources.ContainsKey(service), $"The manifest has no '{service}'.");
        }

        foreach (var secret in new[] { "openai-key", AuthExtensionsAccessKey, "emulator-admin-key" })
        {
            Assert.True(resources[secret]!["inputs"]!["value"]!["secret"]!.GetValue<bool>(), $"'{secret}' is not secret.");
        }
    }

    [Fact]
    public async Task PublishRunsItsPipelineToTheEnd()
    {
        var (exitCode, output) = await AspireAsync("publish", "-o", _outputDirectory);

        // Aspire CLI 13.6.5 asks the AppHost to stop once its pipeline succeeded, and the AppHost may exit before it answers:
        // the CLI then says the connection was lost and exits with 6 (seen once in parallel runs; microsoft/aspire#20164 is
        // the same race at the end of a test run). That is the CLI's handshake after the publish, not the publish.
        var stopRaceAfterSuccess = exitCode == 6 && output.Contains("Pipeline succeeded", StringComparison.Ordinal)
            && output.Contains("The connection to the AppHost was lost", StringComparison.Ordinal);
        Assert.True(exitCode == 0 || stopRaceAfterSuccess, $"aspire publish failed (exit code {exitCode}):\n{output}");
        Assert.Contains("Pipeline succeeded", output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_outputDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the OS.
        }
    }

    private const string AuthExtensionsAccessKey = Aspire.Hosting.AuthExtensions.AccessKeyParameter;

    /// <summary>Runs <c>dotnet aspire</c> (the manifest's tool) on the AppHost the test build compiled, without prompts.</summary>
    private static async Task<(int ExitCode, string Output)> AspireAsync(params string[] arguments)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["aspire", .. arguments, "--apphost", Path.Combine(root, "VqaAspire.AppHost", "VqaAspire.AppHost.csproj"),
                     "--no-build", "--non-interactive", "--nologo"])
        {
            start.ArgumentList.Add(argument);
        }

        // Provider settings of the machine running the tests must not shape the manifest.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(n => n.StartsWith("Parameters__", StringComparison.OrdinalIgnoreCase)))
        {
            start.Environment.Remove(name);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CliTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output + await errors;
        Assert.False(text.Contains("dotnet tool restore", StringComparison.Ordinal) && process.ExitCode != 0,
            $"The Aspire CLI is not installed: run dotnet tool restore (.ci/run does).\n{text}");
        return (process.ExitCode, text);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VqaAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("VqaAspire.sln not found above " + AppContext.BaseDirectory);
    }
}
