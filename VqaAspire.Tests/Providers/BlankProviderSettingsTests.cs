using Microsoft.Extensions.Configuration;
using VqaAspire.Api.Providers;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Providers;

/// <summary>
/// A deployment passes every Azure parameter to the api, blank where azd had no value: the api must start with its own
/// defaults there (a blank capacity used to stop it at start: "Failed to convert configuration value").
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class BlankProviderSettingsTests
{
    [Fact]
    public void BlankDeploymentParametersLeaveTheApisDefaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Provider:Kind"] = "azure",
            ["Provider:Endpoint"] = "https://contoso.openai.azure.com",
            ["Provider:ApiKey"] = "",
            ["Provider:AzureTrainingType"] = "",
            ["Provider:Azure:Auth"] = "entra-id",
            ["Provider:Azure:DeploymentSku"] = " ",
            ["Provider:Azure:DeploymentCapacity"] = "",
            ["Provider:Azure:Account"] = "",
        }).Build();

        var settings = new ProviderOptions();
        BlankProviderSettings.BindSkippingBlanks(configuration, settings);

        var defaults = new ProviderOptions();
        Assert.Equal(defaults.AzureTrainingType, settings.AzureTrainingType);
        Assert.Equal(defaults.Azure.DeploymentSku, settings.Azure.DeploymentSku);
        Assert.Equal(defaults.Azure.DeploymentCapacity, settings.Azure.DeploymentCapacity);
        Assert.False(settings.Azure.CanDeploy);
        Assert.True(settings.Azure.UsesEntraId);
        Assert.Null(settings.Problem());
    }
}
