using Microsoft.Extensions.Options;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Resource Manager's gate: a bearer token (an Entra ID token for https://management.azure.com/.default) and an
/// <c>api-version</c> it knows. Keys do not work here, as on Azure.
/// </summary>
public sealed class ResourceManagerFilter(IOptionsMonitor<EmulatorOptions> options) : IEndpointFilter
{
    /// <summary>
    /// Versions of Microsoft.CognitiveServices accepted here: the stable ones of the REST specs, 2024-10-21 which
    /// Azure's fine-tuning-deploy article uses in its samples, and 2025-07-01-preview of fine-tune-test's Developer sample.
    /// </summary>
    public static readonly string[] ApiVersions = ["2023-05-01", "2024-10-01", "2024-10-21", "2025-06-01", "2025-07-01-preview"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return AzureErrors.Result(StatusCodes.Status401Unauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }

        var expected = options.CurrentValue.Azure.Token;
        if (AzureKeyFilter.BearerToken(authorization) is not { } token || (!string.IsNullOrEmpty(expected) && !string.Equals(token, expected, StringComparison.Ordinal)))
        {
            return AzureErrors.Result(StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", "The access token is invalid.");
        }

        var version = request.Query["api-version"].ToString();
        if (version.Length == 0)
        {
            return AzureErrors.Result(StatusCodes.Status400BadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (!ApiVersions.Contains(version))
        {
            return AzureErrors.Result(StatusCodes.Status400BadRequest, "InvalidApiVersionParameter",
                $"The api-version '{version}' is invalid. The supported versions are '{string.Join(",", ApiVersions)}'.");
        }

        return await next(context);
    }
}
