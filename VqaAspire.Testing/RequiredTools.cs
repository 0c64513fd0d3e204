namespace VqaAspire.Testing;

/// <summary>
/// The tools a few tests drive besides .NET: node for the Node SDK check, Chromium for the browser tests. .ci/run
/// installs both; a test is skipped, saying which tool is missing, only on a machine that truly lacks it.
/// </summary>
public static class RequiredTools
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Headless Chromium in a container or CI sandbox: no sandbox, no GPU, nothing that calls home.</summary>
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>Why a test that runs <c>node</c> cannot run here, or null when node is on the PATH.</summary>
    public static string? NodeMissing() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(folder => File.Exists(Path.Combine(folder, "node")) || File.Exists(Path.Combine(folder, "node.exe")))
            ? null
            : "node is not installed on this machine (CI installs it in .ci/run).";

    /// <summary>Why a browser test cannot run here, or null when Debian's Chromium is installed.</summary>
    public static string? ChromiumMissing() =>
        File.Exists(ChromiumPath) ? null : $"{ChromiumPath} is missing: install it with apt-get install -y chromium (.ci/run does).";
}
