using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VqaAspire.OpenAIEmulator.Faults;

/// <summary>
/// Guards <c>/admin</c> when <c>Emulator:AdminKey</c> is set (a published app always sets it): only a request carrying that
/// key in <see cref="HeaderName"/> may read or change the faults. Without the setting (a local run) the admin surface stays open.
/// </summary>
public sealed class AdminKeyFilter(IOptionsMonitor<EmulatorOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.CurrentValue.AdminKey;
        if (string.IsNullOrEmpty(expected))
        {
            return await next(context);
        }

        var given = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (given.Length == 0)
        {
            return OpenAIError.Result(StatusCodes.Status401Unauthorized,
                $"The admin endpoints need the emulator's admin key in the {HeaderName} header.", "invalid_request_error");
        }

        // Fixed-time comparison, and the key is never echoed back.
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return OpenAIError.Result(StatusCodes.Status403Forbidden, "The admin key is not right.", "invalid_request_error");
        }

        return await next(context);
    }
}
