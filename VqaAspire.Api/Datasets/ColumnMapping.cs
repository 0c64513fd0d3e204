using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// Which columns of a dataset hold what. A column is a top-level name; <c>answers.answer</c> names the
/// <c>answer</c> field of a list of structs (VQAv2).
/// </summary>
/// <param name="Preset">The preset this mapping came from.</param>
/// <param name="Image">Image column (struct{bytes, path}, or a list of them); null finds it from the <c>huggingface</c> footer.</param>
/// <param name="ImageId">Id column; when absent, ids are the split and the row number.</param>
/// <param name="Question">Question column: a string, or a list of strings exploded into one question each.</param>
/// <param name="Answer">Answer column: a string, a list aligned with a list of questions, a list of accepted answers
/// (the most frequent is the answer), or an index into <paramref name="Choices"/>.</param>
/// <param name="AcceptedAnswers">Column of every accepted answer, when apart from <paramref name="Answer"/>.</param>
/// <param name="Choices">List of choices that an index answer points into (ScienceQA, AI2D); the choices are appended to the question.</param>
/// <param name="Width">Image width column, read for stats instead of the image header.</param>
/// <param name="Height">Image height column.</param>
/// <param name="Metadata">Extra columns kept for display (title, author, genre...).</param>
public sealed record ColumnMapping(
    string Preset,
    string? Image,
    string? ImageId,
    string Question,
    string Answer,
    string? AcceptedAnswers = null,
    string? Choices = null,
    string? Width = null,
    string? Height = null,
    IReadOnlyList<string>? Metadata = null)
{
    /// <summary>The preset with the caller's column names laid over it.</summary>
    public ColumnMapping With(ColumnOverrides? overrides) => overrides is null ? this : this with
    {
        Image = overrides.Image ?? Image,
        ImageId = overrides.ImageId ?? ImageId,
        Question = overrides.Question ?? Question,
        Answer = overrides.Answer ?? Answer,
        AcceptedAnswers = overrides.AcceptedAnswers ?? AcceptedAnswers,
        Choices = overrides.Choices ?? Choices,
    };
}

/// <summary>Column mappings of the datasets the app knows, by preset name.</summary>
public static class ColumnPresets
{
    public const string OcrVqa = "ocr-vqa";
    public const string DocVqa = "docvqa";
    public const string ChartQa = "chartqa";
    public const string TextVqa = "textvqa";
    public const string VqaV2 = "vqav2";
    public const string ScienceQa = "scienceqa";

    /// <summary>
    /// Presets whose answers keep every annotator's, repeats included: their metric (VQA accuracy) counts how many
    /// annotators agree with a prediction.
    /// </summary>
    public static bool KeepsAnnotatorRepeats(string? preset) => preset is VqaV2 or TextVqa;
    public const string Ai2d = "ai2d";

    private static readonly Dictionary<string, ColumnMapping> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        // howard-hou/OCR-VQA: one row per cover, aligned lists of questions and answers.
        [OcrVqa] = new(OcrVqa, "image", "image_id", "questions", "answers",
            Width: "image_width", Height: "image_height", Metadata: ["title", "authorName", "genre"]),
        // DocVQA: one question per row, every accepted answer in a list.
        [DocVqa] = new(DocVqa, "image", "questionId", "question", "answers", Metadata: ["docId"]),
        // ChartQA: "query" and "label" (a one-item list); its validation split is called "val".
        [ChartQa] = new(ChartQa, "image", null, "query", "label", Metadata: ["human_or_machine"]),
        // TextVQA: ten annotators' answers.
        [TextVqa] = new(TextVqa, "image", "question_id", "question", "answers",
            Width: "image_width", Height: "image_height", Metadata: ["image_id"]),
        // VQAv2: answers is a list of structs {answer, answer_confidence, answer_id}.
        [VqaV2] = new(VqaV2, "image", "question_id", "question", "multiple_choice_answer", AcceptedAnswers: "answers.answer",
            Metadata: ["image_id", "question_type", "answer_type"]),
        // ScienceQA: answer is an index into choices; many rows have no image.
        [ScienceQa] = new(ScienceQa, "image", null, "question", "answer", Choices: "choices", Metadata: ["subject", "topic"]),
        // AI2D: answer is an index (as text) into options.
        [Ai2d] = new(Ai2d, "image", null, "question", "answer", Choices: "options"),
    };

    public static IReadOnlyCollection<string> Names => Presets.Keys;

    /// <summary>The preset's mapping; throws <see cref="DatasetFormatException"/> for an unknown name.</summary>
    public static ColumnMapping Get(string? name) =>
        Presets.TryGetValue(string.IsNullOrWhiteSpace(name) ? OcrVqa : name.Trim(), out var mapping)
            ? mapping
            : throw new DatasetFormatException($"Unknown preset '{name}'. Known presets: {string.Join(", ", Presets.Keys)}.");
}
