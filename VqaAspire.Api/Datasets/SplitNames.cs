namespace VqaAspire.Api.Datasets;

/// <summary>Maps the split names datasets use (val, dev, training...) onto <see cref="VqaSplits"/>.</summary>
public static class SplitNames
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["train"] = VqaSplits.Train,
        ["training"] = VqaSplits.Train,
        ["validation"] = VqaSplits.Validation,
        ["valid"] = VqaSplits.Validation,
        ["val"] = VqaSplits.Validation,
        ["dev"] = VqaSplits.Validation,
        ["eval"] = VqaSplits.Validation,
        ["test"] = VqaSplits.Test,
        ["testing"] = VqaSplits.Test,
    };

    /// <summary>The canonical split for a dataset's own name, or null when it is none of train/validation/test.</summary>
    public static string? Normalize(string? name) =>
        name is not null && Aliases.TryGetValue(name.Trim(), out var split) ? split : null;

    /// <summary>The split a shard's file name says: <c>train-00000-of-00003.parquet</c>, <c>val.parquet</c>, or its folder <c>test/0.parquet</c>.</summary>
    public static string? FromShardPath(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var dash = stem.IndexOf('-');
        var fromName = Normalize(dash > 0 ? stem[..dash] : stem);
        return fromName ?? Normalize(Path.GetFileName(Path.GetDirectoryName(path)));
    }
}
