using System.Security.Cryptography;

namespace VqaAspire.Web.Security;

/// <summary>
/// The headers every page is sent with: a content security policy Blazor Server and Fluent UI work under, no framing,
/// no MIME sniffing, and a referrer that never carries a path to another site.
/// </summary>
/// <remarks>
/// Scripts come from the web itself, plus the one inline import map Blazor writes, allowed by a nonce fresh per
/// response (<see cref="Nonce"/>). Fluent UI sets inline <c>style</c> attributes, so styles allow 'unsafe-inline' (styles
/// cannot run code). The circuit's websocket and fetches go to the web itself ('self' covers ws/wss to the same host).
/// </remarks>
public static class SecurityHeaders
{
    private const string NonceItem = "vqa.csp-nonce";

    /// <summary>The nonce of this response's content security policy, for the inline scripts the web writes.</summary>
    public static string Nonce(HttpContext context) =>
        context.Items.TryGetValue(NonceItem, out var nonce) && nonce is string value ? value : "";

    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>Adds the headers to every response, before anything else writes it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceItem] = nonce;
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            await next(context);
        });
}
