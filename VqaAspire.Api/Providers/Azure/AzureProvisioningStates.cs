namespace VqaAspire.Api.Providers.Azure;

/// <summary>A deployment's <c>provisioningState</c> as Resource Manager spells it, and the app's own <see cref="Deleted"/>.</summary>
public static class AzureProvisioningStates
{
    public const string Accepted = "Accepted";
    public const string Creating = "Creating";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Canceled = "Canceled";
    public const string Deleting = "Deleting";

    /// <summary>Not Resource Manager's: the app's word for a deployment Resource Manager no longer finds.</summary>
    public const string Deleted = "Deleted";
}
