using System.Text.RegularExpressions;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>New dataset entries as imports and uploads register them: a readable unique id, the chosen preset, status importing.</summary>
public static partial class DatasetEntries
{
    /// <summary>The refusal when a preset is unknown.</summary>
    public static string UnknownPresetMessage => $"Preset must be one of {string.Join(", ", ColumnPresets.Names)}.";

    /// <summary>The requested preset in its canonical spelling (OCR-VQA's when none is asked for), or null when it is unknown.</summary>
    public static string? Preset(string? requested)
    {
        var preset = string.IsNullOrWhiteSpace(requested) ? ColumnPresets.OcrVqa : requested.Trim().ToLowerInvariant();
        return ColumnPresets.Names.Contains(preset, StringComparer.OrdinalIgnoreCase) ? preset : null;
    }

    public static DatasetEntry New(string id, string name, string source, string location, string preset, ColumnOverrides? columns, DateTimeOffset now) =>
        new(new DatasetSummary(id, name, source, location, preset, DatasetStatuses.Importing, 0, "Queued", null, now, null, [], 0, []), columns);

    /// <summary>A readable, unique id: a slug of the name and a short random suffix.</summary>
    public static string NewId(string name)
    {
        var slug = SlugPattern().Replace(name.ToLowerInvariant(), "-").Trim('-');
        slug = slug.Length == 0 ? "dataset" : slug.Length > 40 ? slug[..40].TrimEnd('-') : slug;
        return $"{slug}-{Guid.NewGuid().ToString("N")[..6]}";
    }

    /// <summary>Where the api shows a dataset.</summary>
    public static string Location(string id) => $"/api/datasets/{id}";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugPattern();
}
