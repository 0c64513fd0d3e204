using VqaAspire.Api.Providers;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Providers;

[Trait("Category", TestCategories.Unit)]
public sealed class ProviderOptionsTests
{
    [Theory]
    [InlineData("openai", null, "https://api.openai.com/v1")]
    [InlineData("azure", "https://contoso.openai.azure.com", "https://contoso.openai.azure.com/openai/v1")]
    [InlineData("azure", "https://contoso.openai.azure.com/openai/v1/", "https://contoso.openai.azure.com/openai/v1")]
    [InlineData("emulator", "http://localhost:5190/v1", "http://localhost:5190/v1")]
    [InlineData("openai-compatible", "http://localhost:11434/v1", "http://localhost:11434/v1")]
    public void EndpointIsResolvedPerProvider(string kind, string? endpoint, string expected)
    {
        var options = new ProviderOptions { Kind = kind, Endpoint = endpoint, ApiKey = "k" };

        Assert.Equal(new Uri(expected), options.ResolveEndpoint());
    }

    [Theory]
    [InlineData("emulator", "", "http://openai-emulator/v1")]
    [InlineData("emulator", null, "http://openai-emulator/v1")]
    [InlineData("emulator", "http://localhost:5190/v1", "http://localhost:5190/v1")]
    [InlineData("azure", "https://contoso.openai.azure.com", "https://contoso.openai.azure.com/openai/v1")]
    [InlineData("openai", "", "https://api.openai.com/v1")]
    public void DeployedAppUsesTheDeployedEmulatorOnlyWhenNoEndpointIsChosen(string kind, string? endpoint, string expected)
    {
        // What a deployment passes: every kind gets the endpoint parameter (empty by default) and the emulator's address.
        var options = new ProviderOptions { Kind = kind, Endpoint = endpoint, EmulatorEndpoint = "http://openai-emulator/v1", ApiKey = "k" };

        Assert.Null(options.Problem());
        Assert.Equal(new Uri(expected), options.ResolveEndpoint());
    }

    [Fact]
    public void EndpointHostDropsCredentialsPathAndQuery()
    {
        var options = new ProviderOptions { Kind = "openai-compatible", Endpoint = "http://user:secret@gpu-box:8000/v1?key=abc" };

        Assert.Equal("gpu-box:8000", options.EndpointHost);
    }

    [Theory]
    [InlineData("openai", null, null, "key")]
    [InlineData("azure", null, "k", "Endpoint")]
    [InlineData("azure", null, null, "Endpoint")]
    [InlineData("emulator", "not a url", null, "absolute URL")]
    [InlineData("gemini", "http://x", "k", "gemini")]
    public void SettingsThatCannotWorkSayWhy(string kind, string? endpoint, string? key, string expectedInMessage)
    {
        var options = new ProviderOptions { Kind = kind, Endpoint = endpoint, ApiKey = key };

        Assert.Contains(expectedInMessage, options.Problem());
    }

    [Fact]
    public void WorkingSettingsHaveNoProblem()
    {
        Assert.Null(new ProviderOptions { Kind = "openai", ApiKey = "k" }.Problem());
        Assert.Null(new ProviderOptions { Kind = "emulator", Endpoint = "http://localhost:5190/v1" }.Problem());
        Assert.Null(new ProviderOptions { Kind = "azure", Endpoint = "https://contoso.openai.azure.com", ApiKey = "k" }.Problem());
        // Entra ID is a choice made by name, and then no key is needed.
        Assert.Null(new ProviderOptions { Kind = "azure", Endpoint = "https://contoso.openai.azure.com", Azure = { Auth = "entra-id" } }.Problem());
    }

    [Fact]
    public void AzureWithoutAKeyOrEntraIdSaysHowToChoose()
    {
        var problem = new ProviderOptions { Kind = "azure", Endpoint = "https://contoso.openai.azure.com" }.Problem();

        Assert.Contains("openai-key", problem);
        Assert.Contains("azure-auth=entra-id", problem);
    }

    [Fact]
    public void AnUnknownAzureSignInIsRefusedByName()
    {
        var problem = new ProviderOptions { Kind = "azure", Endpoint = "https://contoso.openai.azure.com", ApiKey = "k", Azure = { Auth = "managed" } }.Problem();

        Assert.Contains("'managed'", problem);
        Assert.Contains("azure-auth", problem);
    }

    [Fact]
    public void AzureWithEntraIdGetsAClientThatSignsInWithEntraId()
    {
        var client = VqaAspire.Api.Providers.OpenAIModelProvider.CreateClient(new ProviderOptions { Kind = "azure", Endpoint = "https://contoso.openai.azure.com", Azure = { Auth = "entra-id" } });

        Assert.NotNull(client.GetFineTuningClient());
    }
}
