namespace VqaAspire.Api.Datasets;

/// <summary>The kinds of OCR-VQA question, used for stratified sampling and per-kind scores.</summary>
public enum QuestionKind
{
    Author,
    Title,
    Genre,
    Type,
    YesNo,
    Other,
}

/// <summary>One question about an image, with its answer.</summary>
/// <param name="Text">The question as the dataset has it.</param>
/// <param name="Answer">The answer used for training and as the truth when scoring.</param>
/// <param name="AcceptedAnswers">Every answer the dataset accepts: for VQAv2 and TextVQA the annotators' answers exactly (repeats kept, the truth not added); otherwise at least <paramref name="Answer"/>.</param>
/// <param name="Kind">The question's kind.</param>
public sealed record VqaQuestion(string Text, string Answer, IReadOnlyList<string> AcceptedAnswers, QuestionKind Kind);

/// <summary>
/// One image with its questions, as every dataset source yields it. A record the source could not read whole
/// carries <see cref="Problem"/> (a sentence naming what and where) instead of failing the whole read.
/// </summary>
/// <param name="ImageId">Stable id of the image within the dataset.</param>
/// <param name="Split">train, validation or test (sources map their own names onto these).</param>
/// <param name="ImageBytes">The encoded source image (JPEG, PNG, WEBP...), or null when missing.</param>
/// <param name="Questions">The image's questions; exploded into one example per question by preparation.</param>
/// <param name="Metadata">Extra columns worth showing (title, author, genre...).</param>
/// <param name="Problem">Why this record cannot be used, or null.</param>
public sealed record VqaImageRecord(
    string ImageId,
    string Split,
    byte[]? ImageBytes,
    IReadOnlyList<VqaQuestion> Questions,
    IReadOnlyDictionary<string, string> Metadata,
    string? Problem = null);

/// <summary>An image without its bytes: what sampling shuffles on a cheap first pass.</summary>
public sealed record VqaImageSummary(string ImageId, IReadOnlyList<QuestionKind> QuestionKinds);

/// <summary>Split names every source maps onto.</summary>
public static class VqaSplits
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";

    public static readonly IReadOnlyList<string> All = [Train, Validation, Test];
}

/// <summary>
/// A readable VQA dataset: parquet shards, a folder with a manifest, the offline sample. Reads stream
/// (one parquet row group at a time); nothing holds a whole dataset in memory.
/// </summary>
public interface IVqaSource
{
    /// <summary>Every image of a split, without image bytes.</summary>
    IAsyncEnumerable<VqaImageSummary> ListAsync(string split, CancellationToken cancellationToken);

    /// <summary>Images of a split with their bytes, in the source's order; only <paramref name="imageIds"/> when given.</summary>
    IAsyncEnumerable<VqaImageRecord> ReadAsync(string split, IReadOnlySet<string>? imageIds, CancellationToken cancellationToken);
}

/// <summary>Gives the pipeline the source behind an imported dataset.</summary>
public interface IDatasetSourceResolver
{
    /// <summary>The source of an imported dataset, or null when there is no such dataset.</summary>
    Task<IVqaSource?> OpenAsync(string datasetId, CancellationToken cancellationToken);
}
