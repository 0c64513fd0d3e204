namespace VqaAspire.Api.Providers.Azure;

/// <summary>Resource Manager refused a request; the message names the status and Azure's code, never a token.</summary>
public sealed class AzureManagementException(int status, string? code, string? detail)
    : Exception($"Azure Resource Manager refused the request (HTTP {status}{(code is null ? "" : $", {code}")}): {detail ?? "no details"}"
        + (status is 401 or 403 ? " Creating deployments needs the Cognitive Services OpenAI Contributor role on the Azure OpenAI resource." : ""))
{
    public int Status { get; } = status;

    public string? Code { get; } = code;

    /// <summary>4xx other than throttling: trying again will not help.</summary>
    public bool IsPermanent => Status is >= 400 and < 500 and not 408 and not 429;
}
