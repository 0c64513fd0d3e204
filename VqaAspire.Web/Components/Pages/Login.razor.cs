using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;
using VqaAspire.ServiceDefaults;
using VqaAspire.Web.Security;

namespace VqaAspire.Web.Components.Pages;

/// <summary>
/// The access-key sign-in (ApiKey mode), rendered on the server without a circuit: the key is checked in fixed time, a
/// cookie is issued and the user goes back where they were heading. The key is never echoed or logged.
/// </summary>
public sealed partial class Login
{
    private bool _rejected;

    [Inject]
    public required AuthSettings Auth { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<Login> Logger { get; init; }

    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [SupplyParameterFromQuery]
    public string? ReturnUrl { get; set; }

    [SupplyParameterFromForm(FormName = "login")]
    public string? AccessKey { get; set; }

    private string ReturnPath => WebAuthenticationExtensions.LocalReturnUrl(ReturnUrl);

    private async Task SignInAsync()
    {
        if (Auth.Mode != AuthMode.ApiKey || HttpContext is null)
        {
            return;
        }

        if (!AuthSettings.KeyMatches(AccessKey?.Trim(), Auth.ApiKey))
        {
            _rejected = true;
            Logger.LogWarning("A sign-in was refused: the access key did not match.");
            return;
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "access-key user")], CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        Navigation.NavigateTo(ReturnPath);
    }
}
