namespace VqaAspire.Api.Providers.Azure;

/// <summary>A deployment as Resource Manager reports it.</summary>
/// <param name="ProvisioningState">Accepted, Creating, Succeeded, Failed, Deleting...</param>
/// <param name="Capacity">Thousands of tokens per minute it serves (sku.capacity).</param>
public sealed record AzureDeploymentStatus(string Name, string ProvisioningState, string? Sku, string? Model, int? Capacity = null)
{
    public bool IsReady => ProvisioningState == AzureProvisioningStates.Succeeded;

    public bool HasFailed => ProvisioningState is AzureProvisioningStates.Failed or AzureProvisioningStates.Canceled;
}
