namespace VqaAspire.Api.Providers;

/// <summary>The provider kinds' names, as AppHost parameters and users write them.</summary>
public static class ProviderKinds
{
    private static readonly (string Name, ProviderKind Kind)[] All =
    [
        ("emulator", ProviderKind.Emulator),
        ("openai", ProviderKind.OpenAI),
        ("azure", ProviderKind.Azure),
        ("openai-compatible", ProviderKind.OpenAICompatible),
    ];

    /// <summary>The names used in AppHost parameters and shown to users.</summary>
    public static IEnumerable<string> Names => All.Select(k => k.Name);

    public static string Name(this ProviderKind kind) => All.Single(k => k.Kind == kind).Name;

    public static bool TryParse(string? value, out ProviderKind kind)
    {
        foreach (var (name, candidate) in All)
        {
            if (string.Equals(value?.Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static ProviderKind Parse(string? value) =>
        TryParse(value, out var kind) ? kind : throw new FormatException($"Unknown provider kind '{value}'.");
}
