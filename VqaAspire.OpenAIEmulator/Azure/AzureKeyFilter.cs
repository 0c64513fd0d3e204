using Microsoft.Extensions.Options;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Azure OpenAI's data plane takes a key in the <c>api-key</c> header, or an Entra ID token as <c>Authorization: Bearer</c>.
/// With <c>Emulator:ApiKey</c> set only that key passes; with <c>Emulator:Azure:Token</c> set only that token does.
/// </summary>
public sealed class AzureKeyFilter(IOptionsMonitor<EmulatorOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var key = request.Headers["api-key"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        var settings = options.CurrentValue;
        var passes = key.Length > 0
            ? string.IsNullOrEmpty(settings.ApiKey) || string.Equals(key, settings.ApiKey, StringComparison.Ordinal)
            : BearerToken(authorization) is { } token && (string.IsNullOrEmpty(settings.Azure.Token) || string.Equals(token, settings.Azure.Token, StringComparison.Ordinal));

        // Never echo what was sent.
        return passes ? await next(context) : AzureErrors.Unauthorized();
    }

    internal static string? BearerToken(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > "Bearer ".Length
            ? authorization["Bearer ".Length..].Trim()
            : null;
}
