namespace VqaAspire.Api.Providers;

/// <summary>
/// A deployment gives the api every provider parameter the AppHost declares, blank where nobody set one (azd has no
/// "unset"). Blank there means the api's default, not an empty value: an empty capacity would not even bind.
/// </summary>
public static class BlankProviderSettings
{
    /// <summary>Binds <c>Provider:*</c> to <paramref name="settings"/>, skipping the blank values.</summary>
    public static void BindSkippingBlanks(IConfiguration configuration, ProviderOptions settings) =>
        BindSkippingBlanks(configuration.GetSection(ProviderOptions.SectionName), settings);

    /// <summary>Binds a provider's section to <paramref name="settings"/>, skipping the blank values.</summary>
    public static void BindSkippingBlanks(IConfigurationSection section, ProviderOptions settings)
    {
        var set = section.AsEnumerable(makePathsRelative: true).Where(setting => !string.IsNullOrWhiteSpace(setting.Value));
        new ConfigurationBuilder().AddInMemoryCollection(set).Build().Bind(settings);
    }
}
