using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.AppHost;

/// <summary>
/// The AppHost's model of the emulator, built but not started: it starts with the app only when a provider setting
/// uses it, and its admin surface is locked only when a key is given (always, once published).
/// </summary>
[Trait("Category", TestCategories.App)]
public sealed class EmulatorWiringTests
{
    [Theory]
    [InlineData("emulator", false)]
    [InlineData("azure-emulator", false)]
    [InlineData("openai", true)]
    [InlineData("openai-compatible", true)]
    public async Task TheEmulatorWaitsForAnExplicitStartUnlessTheProviderUsesIt(string kind, bool explicitStart)
    {
        await using var builder = await AppHostAsync($"--Parameters:openai-kind={kind}", "--Parameters:openai-key=sk-wiring-test",
            "--Parameters:openai-endpoint=https://models.example/v1");

        Assert.Equal(explicitStart, Emulator(builder).Annotations.OfType<ExplicitStartupAnnotation>().Any());
    }

    [Fact]
    public async Task RunLocallyTheAdminSurfaceIsOpenUnlessAKeyIsGiven()
    {
        await using var open = await AppHostAsync();
        await using var locked = await AppHostAsync("--Parameters:emulator-admin-key=local-admin-key-0123456789");

        Assert.DoesNotContain("Emulator__AdminKey", await EnvironmentOf(Emulator(open)));
        var key = Assert.IsType<ParameterResource>((await EnvironmentOf(Emulator(locked)))["Emulator__AdminKey"]);
        Assert.True(key.Secret);
        Assert.Equal("local-admin-key-0123456789", await key.GetValueAsync(CancellationToken.None));
    }

    private static async Task<IDistributedApplicationTestingBuilder> AppHostAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.VqaAspire_AppHost>(
            ["--Cache:Mode=embedded", .. args], (options, _) => options.DisableDashboard = true);

    private static ProjectResource Emulator(IDistributedApplicationTestingBuilder builder) =>
        builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "openai-emulator");

    /// <summary>The environment the resource's callbacks set, values as given (text, or the parameter they come from).</summary>
    private static async Task<Dictionary<string, object>> EnvironmentOf(IResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            try
            {
                await callback.Callback(context);
            }
            catch (InvalidOperationException)
            {
                // Aspire's own callbacks (telemetry, endpoints) need a started app; the AppHost's settings do not.
            }
        }

        return context.EnvironmentVariables;
    }
}
