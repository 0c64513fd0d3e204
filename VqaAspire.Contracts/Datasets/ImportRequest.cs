namespace VqaAspire.Contracts;

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
