using System.Net;
using System.Text.RegularExpressions;

namespace VqaAspire.Tests.Security;

/// <summary>The web's sign-in form, filled as a browser does: the page's antiforgery token and cookie, the form name and the key.</summary>
public static partial class SignInForm
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient web, string key, string path = "/login")
    {
        var page = await web.GetStringAsync(path);
        Assert.Contains("name=\"_handler\" value=\"login\"", page);
        return await web.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["AccessKey"] = key,
        }));
    }

    /// <summary>The antiforgery token of a page's form.</summary>
    public static string AntiforgeryToken(string html) =>
        WebUtility.HtmlDecode(AntiforgeryInput().Match(html) is { Success: true } match
            ? match.Groups["token"].Value
            : throw new Xunit.Sdk.XunitException("The page has no antiforgery token."));

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
