using System.Collections.Concurrent;

namespace VqaAspire.OpenAIEmulator.Models;

/// <summary>An OpenAI model object.</summary>
public sealed record ModelObject(string Id, long Created, string OwnedBy)
{
    public string Object => "model";
}

/// <summary>An OpenAI list object.</summary>
public sealed record ListObject<T>(IReadOnlyList<T> Data)
{
    public string Object => "list";
}

/// <summary>The models the emulator serves: vision-capable base snapshots, plus fine-tuned models as jobs produce them.</summary>
public sealed class ModelCatalog
{
    // Base snapshots OpenAI and Azure OpenAI fine-tune with images, plus the usual judge model.
    private static readonly ModelObject[] BaseModels =
    [
        new("gpt-4o-2024-08-06", 1722814719, "system"),
        new("gpt-4o", 1715367049, "system"),
        new("gpt-4o-mini", 1721172741, "system"),
        new("gpt-4o-mini-2024-07-18", 1721172717, "system"),
        new("gpt-4.1-2025-04-14", 1744316542, "system"),
        new("gpt-4.1-mini-2025-04-14", 1744317547, "system"),
    ];

    // Aliases answer as the snapshot they point to, and responses name the snapshot, as OpenAI's do.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["gpt-4o"] = "gpt-4o-2024-08-06",
        ["gpt-4o-mini"] = "gpt-4o-mini-2024-07-18",
    };

    private readonly ConcurrentDictionary<string, ModelObject> _models =
        new(BaseModels.ToDictionary(m => m.Id), StringComparer.Ordinal);

    public IReadOnlyList<ModelObject> List() => [.. _models.Values.OrderBy(m => m.Created).ThenBy(m => m.Id, StringComparer.Ordinal)];

    public ModelObject? Find(string id) => _models.GetValueOrDefault(id);

    /// <summary>The snapshot an alias points to (<c>gpt-4o</c> to <c>gpt-4o-2024-08-06</c>); other ids unchanged.</summary>
    public static string Snapshot(string id) => Aliases.GetValueOrDefault(id, id);

    public void AddFineTuned(string id, string ownedBy, long created) => _models[id] = new ModelObject(id, created, ownedBy);

    public bool IsBase(string id) => BaseModels.Any(m => m.Id == id);

    public bool Remove(string id) => !IsBase(id) && _models.TryRemove(id, out _);
}
