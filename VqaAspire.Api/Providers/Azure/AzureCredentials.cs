using global::Azure.Core;
using global::Azure.Identity;

namespace VqaAspire.Api.Providers.Azure;

/// <summary>Entra ID tokens for Azure OpenAI and Resource Manager: DefaultAzureCredential, or the emulator's token offline.</summary>
public static class AzureCredentials
{
    /// <summary>The token scope of Resource Manager.</summary>
    public const string ManagementScope = "https://management.azure.com/.default";

    /// <summary>The app's managed identity in Azure, the developer's az login locally; the emulator's token in azure-emulator mode.</summary>
    public static TokenCredential Create(AzureProviderOptions settings) =>
        string.IsNullOrEmpty(settings.EmulatorToken) ? new DefaultAzureCredential() : new EmulatorTokenCredential(settings.EmulatorToken);
}
