namespace VqaAspire.Api.Providers.Azure;

/// <summary>A deployment as Resource Manager reports it.</summary>
/// <param name="ProvisioningState">Accepted, Creating, Succeeded, Failed, Deleting...</param>
public sealed record AzureDeploymentStatus(string Name, string ProvisioningState, string? Sku, string? Model)
{
    public bool IsReady => ProvisioningState == "Succeeded";

    public bool HasFailed => ProvisioningState is "Failed" or "Canceled";
}
