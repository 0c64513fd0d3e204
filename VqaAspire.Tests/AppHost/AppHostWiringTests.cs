using Aspire.Hosting;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.AppHost;

/// <summary>The AppHost's choices that do not need a running app: cache mode and provider kind.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class AppHostWiringTests
{
    [Theory]
    [InlineData(null, false, "embedded")]
    [InlineData("", true, "redis")]
    [InlineData("auto", false, "embedded")]
    [InlineData("Auto", true, "redis")]
    [InlineData("redis", false, "redis")]
    [InlineData("embedded", true, "embedded")]
    public void CacheModeFollowsTheSettingOrTheContainerEngine(string? configured, bool engineAnswers, string expected)
    {
        Assert.Equal(expected, CacheResourceExtensions.ResolveMode(configured, () => engineAnswers));
    }

    [Fact]
    public void AnExplicitCacheModeDoesNotAskTheContainerEngine()
    {
        var asked = false;

        CacheResourceExtensions.ResolveMode("embedded", () => asked = true);

        Assert.False(asked);
    }

    [Fact]
    public void AnUnknownCacheModeIsRefusedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CacheResourceExtensions.ResolveMode("memcached", () => false));

        Assert.Contains("memcached", error.Message);
    }

    [Theory]
    [InlineData(null, false, "emulator")]
    [InlineData(null, true, "openai")]
    [InlineData("", true, "openai")]
    [InlineData("Azure", true, "azure")]
    [InlineData("emulator", true, "emulator")]
    [InlineData("openai-compatible", false, "openai-compatible")]
    public void ProviderKindIsTheEmulatorUntilAKeyIsGiven(string? configured, bool keyIsSet, string expected)
    {
        Assert.Equal(expected, ProviderResourceExtensions.ResolveKind(configured, keyIsSet));
    }

    [Fact]
    public void AnUnknownProviderKindIsRefusedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProviderResourceExtensions.ResolveKind("bard", false));

        Assert.Contains("bard", error.Message);
    }
}
