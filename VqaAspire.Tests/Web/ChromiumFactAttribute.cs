namespace VqaAspire.Tests.Web;

/// <summary>A fact that drives Debian's Chromium; skipped, saying why, on a machine without it (.ci/run installs it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"{ChromiumPath} is missing: install it with apt-get install -y chromium (.ci/run does).";
        }
    }
}
