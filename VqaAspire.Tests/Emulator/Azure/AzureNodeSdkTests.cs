using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator.Azure;

/// <summary>
/// The official Node SDK (openai from npm, its AzureOpenAI client and its plain client on the v1 route) and Resource
/// Manager calls over fetch run node/azure.mjs against the emulator's Azure surfaces.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public class AzureNodeSdkTests(AzureEmulatorServer server) : IClassFixture<AzureEmulatorServer>
{
    [SkippableNodeFact]
    public async Task TheNodeSdkUploadsFineTunesPausesDeploysChatsAndDeletesOnAzure()
    {
        var folder = NodeSdkTests.ScriptFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "openai")))
        {
            var install = await NodeSdkTests.RunAsync("npm", "ci --no-audit --no-fund", folder, []);
            Assert.True(install.ExitCode == 0, $"npm ci failed in {folder}:\n{install.Output}\n{install.Errors}");
        }

        var (exitCode, output, errors) = await NodeSdkTests.RunAsync("node", "azure.mjs", folder, new Dictionary<string, string>
        {
            ["AZURE_OPENAI_ENDPOINT"] = server.BaseUrl.ToString(),
            ["AZURE_OPENAI_API_KEY"] = "azure-node-key",
            ["AZURE_TOKEN"] = AzureEmulatorServer.Token,
            ["AZURE_ACCOUNT_PATH"] = AzureEmulatorServer.AccountPath,
        });

        Assert.True(exitCode == 0, $"node azure.mjs failed ({exitCode}):\n{output}\n{errors}");
        Assert.Contains("chat through node-ft: Author 3", output);
        Assert.Contains("azure node sdk: ok", output);
    }
}
