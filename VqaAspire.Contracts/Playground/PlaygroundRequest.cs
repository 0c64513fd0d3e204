namespace VqaAspire.Contracts;

/// <summary>Ask one question about one image of several models at once: <c>POST /api/playground</c>.</summary>
/// <param name="Models">Up to <see cref="PlaygroundRules.MaxModels"/> models: base, fine-tuned, a checkpoint, or any OpenAI-compatible endpoint.</param>
/// <param name="DatasetId">With <paramref name="ImageId"/>: an image of a ready dataset.</param>
/// <param name="Split">The image's split, or null to look in every split.</param>
/// <param name="ImageDataUrl">Or an uploaded image as a data URL (<c>data:image/jpeg;base64,...</c>).</param>
/// <param name="Detail">auto, low or high, as in a prepared run.</param>
public sealed record PlaygroundRequest(
    IReadOnlyList<EvaluationModel> Models,
    string Question,
    string? SystemPrompt = null,
    string? DatasetId = null,
    string? ImageId = null,
    string? Split = null,
    string? ImageDataUrl = null,
    string Detail = "auto",
    int MaxTokens = 100);
