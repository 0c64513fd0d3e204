using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>A fact that drives Debian's Chromium; skipped, saying why, on a machine without it (.ci/run installs it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute() => Skip = RequiredTools.ChromiumMissing();
}
