using Microsoft.Extensions.Options;

namespace VqaAspire.OpenAIEmulator;

/// <summary>Requires <c>Authorization: Bearer</c> as OpenAI does; with a configured key, only that key passes.</summary>
public sealed class BearerKeyFilter(IOptionsMonitor<EmulatorOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            return OpenAIError.Result(StatusCodes.Status401Unauthorized,
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                "invalid_request_error");
        }

        var expected = options.CurrentValue.ApiKey;
        if (!string.IsNullOrEmpty(expected) && !string.Equals(header["Bearer ".Length..].Trim(), expected, StringComparison.Ordinal))
        {
            // Never echo the key back, not even partially.
            return OpenAIError.Result(StatusCodes.Status401Unauthorized, "Incorrect API key provided.", "invalid_request_error", code: "invalid_api_key");
        }

        return await next(context);
    }
}
