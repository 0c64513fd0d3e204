namespace VqaAspire.Contracts;

// Shapes of /api/datasets. The web compiles this folder in, so there is one definition.

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

/// <summary>Lifecycle of an imported dataset.</summary>
public static class DatasetStatuses
{
    public const string Importing = "importing";
    public const string Ready = "ready";
    public const string Failed = "failed";
}

/// <summary>Body of <c>POST /api/datasets</c>.</summary>
/// <param name="Source">parquet, huggingface, manifest or sample (see <see cref="DatasetSourceKinds"/>).</param>
/// <param name="Name">Display name; defaults to the location or Hugging Face id.</param>
/// <param name="Location">Workspace-relative folder or glob (parquet, manifest); the dataset id (huggingface, e.g. howard-hou/OCR-VQA).</param>
/// <param name="Preset">Column preset: ocr-vqa, docvqa, chartqa, textvqa, vqav2, scienceqa, ai2d. Default ocr-vqa.</param>
/// <param name="Columns">Column names overriding the preset's.</param>
/// <param name="HuggingFaceToken">Optional token for gated datasets. Used for the download only; never stored, logged or returned.</param>
/// <param name="Sample">Sizes and seed of the synthetic sample (sample only).</param>
public sealed record ImportRequest(
    string Source,
    string? Name = null,
    string? Location = null,
    string? Preset = null,
    ColumnOverrides? Columns = null,
    string? HuggingFaceToken = null,
    SampleOptions? Sample = null);

/// <summary>Column names that replace a preset's. Null keeps the preset's choice.</summary>
public sealed record ColumnOverrides(
    string? Image = null,
    string? ImageId = null,
    string? Question = null,
    string? Answer = null,
    string? AcceptedAnswers = null,
    string? Choices = null);

/// <summary>Sizes of the synthetic sample (images per split, 2-7 questions each) and its seed.</summary>
public sealed record SampleOptions(int Train = 200, int Validation = 60, int Test = 120, int Seed = 42);

/// <summary>What an import found in one split.</summary>
/// <param name="Images">Usable images (records without a problem).</param>
/// <param name="QaPairs">Question/answer pairs of those images.</param>
/// <param name="QuestionKinds">QA pairs per question kind (Author, Title, Genre, Type, YesNo, Other).</param>
/// <param name="Width">Image widths in pixels, where known.</param>
/// <param name="Height">Image heights in pixels, where known.</param>
/// <param name="Skipped">Records skipped for a problem (listed in the dataset's problems).</param>
public sealed record SplitStats(
    string Split,
    int Images,
    int QaPairs,
    IReadOnlyDictionary<string, int> QuestionKinds,
    SizeSummary? Width,
    SizeSummary? Height,
    int Skipped);

/// <summary>Min, median and max of a size in pixels.</summary>
public sealed record SizeSummary(int Min, int Median, int Max);

/// <summary>One problem an import met: the record or file it concerns and why it was skipped.</summary>
public sealed record ImportProblem(string? Split, string Where, string Reason);

/// <summary>A dataset as <c>GET /api/datasets</c> lists it.</summary>
/// <param name="Progress">0..1 while importing.</param>
/// <param name="ProblemCount">Every problem met; <see cref="Problems"/> keeps the first ones.</param>
public sealed record DatasetSummary(
    string Id,
    string Name,
    string Source,
    string Location,
    string Preset,
    string Status,
    double Progress,
    string? ProgressMessage,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<SplitStats> Splits,
    int ProblemCount,
    IReadOnlyList<ImportProblem> Problems);

/// <summary>What <c>POST /api/datasets</c> answers (202): the id to follow at <c>/api/datasets/{id}</c>.</summary>
public sealed record ImportAccepted(string Id, string Status, string Location);

/// <summary>One question of one image, as the examples page shows it.</summary>
public sealed record DatasetExample(
    string ImageId,
    string Split,
    string Question,
    string Answer,
    string Kind,
    string ImageUrl,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A page of <c>GET /api/datasets/{id}/examples</c>.</summary>
/// <param name="HasMore">True when examples follow this page.</param>
public sealed record DatasetExamplePage(string DatasetId, string Split, string? Kind, int Offset, int Limit, bool HasMore, IReadOnlyList<DatasetExample> Examples);
