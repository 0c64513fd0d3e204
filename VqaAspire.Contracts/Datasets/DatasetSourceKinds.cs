namespace VqaAspire.Contracts;

/// <summary>Where an import reads from.</summary>
public static class DatasetSourceKinds
{
    /// <summary>Parquet shards (data/{split}-*.parquet) in a workspace folder or matched by a workspace glob.</summary>
    public const string Parquet = "parquet";

    /// <summary>Parquet shards downloaded from a Hugging Face dataset id.</summary>
    public const string HuggingFace = "huggingface";

    /// <summary>A folder of images with a JSONL or CSV manifest.</summary>
    public const string Manifest = "manifest";

    /// <summary>The seeded synthetic book covers, written as OCR-VQA parquet.</summary>
    public const string Sample = "sample";

    public static readonly IReadOnlyList<string> All = [Parquet, HuggingFace, Manifest, Sample];
}
