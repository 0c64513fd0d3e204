namespace VqaAspire.Api.Providers;

/// <summary>
/// Providers besides the run's (<c>OtherProviders:{name}:Kind</c>, <c>Endpoint</c>, <c>ApiKey</c>, <c>Azure:*</c>: each a
/// <see cref="ProviderOptions"/>) that an evaluation asks by name, so one evaluation sets an OpenAI fine-tune beside its
/// Azure copy. Their credentials stay here: read where a client is built, never logged, traced or returned.
/// </summary>
public sealed class OtherProviders
{
    public const string SectionName = "OtherProviders";

    public Dictionary<string, ProviderOptions> ByName { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Binds each <c>OtherProviders:{name}</c> section, blank values left at their defaults.</summary>
    public static void Bind(IConfiguration configuration, OtherProviders providers)
    {
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            var settings = new ProviderOptions();
            BlankProviderSettings.BindSkippingBlanks(section, settings);
            providers.ByName[section.Key] = settings;
        }
    }

    /// <summary>Why the named provider cannot answer (not configured, or its settings cannot work), or null.</summary>
    public string? Problem(string name) =>
        !ByName.TryGetValue(name, out var settings)
            ? $"No provider named '{name}' is configured ({SectionName}:{name}:Kind, Endpoint, ApiKey); configured: {(ByName.Count == 0 ? "none" : string.Join(", ", ByName.Keys.Order()))}."
        : settings.Problem() is { } problem ? $"Provider '{name}': {problem}"
        : null;
}
