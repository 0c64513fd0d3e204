using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace VqaAspire.Web.Components;

/// <summary>
/// Carries what a page's prerender fetched into its interactive render, written into the page as JSON: the second
/// render then neither asks the api again nor shows a spinner where the prerender already showed the content.
/// </summary>
internal static class PrerenderCarryOver
{
    /// <summary>
    /// The browser sends the carried data back in the circuit's first message, as base64 of the JSON (a third bigger,
    /// more where the JSON escapes characters); a message over the hub's limit closes the circuit. Bigger data is not
    /// carried: the interactive render fetches it again.
    /// </summary>
    public const int MaxJsonChars = 96 * 1024;

    /// <summary>The hub's limit on a message from the browser (SignalR's default, 32 KB, is too small for the above).</summary>
    public const long HubMessageLimit = 256 * 1024;

    /// <summary>At the end of the prerender, writes what <paramref name="capture"/> gives (nothing when it gives null) under <paramref name="key"/>.</summary>
    public static PersistingComponentStateSubscription Offer<T>(this PersistentComponentState state, string key, Func<T?> capture) where T : class =>
        state.RegisterOnPersisting(() =>
        {
            if (capture() is { } value && JsonSerializer.Serialize(value, JsonSerializerOptions.Web) is { Length: <= MaxJsonChars } json)
            {
                state.PersistAsJson(key, json);
            }

            return Task.CompletedTask;
        }, RenderMode.InteractiveServer);

    /// <summary>What the prerender carried under <paramref name="key"/>; null when nothing was, or it no longer reads (a new version of the page).</summary>
    public static T? Take<T>(this PersistentComponentState state, string key) where T : class
    {
        if (!state.TryTakeFromJson<string>(key, out var json) || json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
