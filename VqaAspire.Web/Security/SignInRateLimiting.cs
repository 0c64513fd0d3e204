using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace VqaAspire.Web.Security;

/// <summary>
/// Caps sign-in attempts (<c>POST /login</c>) per client address, so an access key cannot be guessed at speed. Over the
/// limit the client gets a 429 page saying how long to wait. Behind a proxy the address is the forwarded one
/// (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>, set by the AppHost when published).
/// </summary>
public static class SignInRateLimiting
{
    /// <summary>Attempts a client may make per window; <c>SignIn:AttemptsPerMinute</c> overrides it.</summary>
    public const int DefaultAttemptsPerMinute = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IHostApplicationBuilder AddSignInRateLimiting(this IHostApplicationBuilder builder)
    {
        var attempts = builder.Configuration.GetValue("SignIn:AttemptsPerMinute", DefaultAttemptsPerMinute);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignInAttempt(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = attempts,
                        Window = Window,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync(TooManyAttemptsPage(seconds), cancellationToken);
            };
        });
        return builder;
    }

    internal static bool IsSignInAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(WebAuthenticationExtensions.LoginPath, StringComparison.OrdinalIgnoreCase);

    private static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string TooManyAttemptsPage(int seconds) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8" /><title>Too many sign-in attempts · VqaAspire</title></head>
        <body><main>
        <h1>Too many sign-in attempts</h1>
        <p data-testid="rate-limited">Too many sign-in attempts from your address. Wait {seconds} seconds, then <a href="{WebAuthenticationExtensions.LoginPath}">try again</a>.</p>
        </main></body></html>
        """;
}
