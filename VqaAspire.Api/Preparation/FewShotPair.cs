namespace VqaAspire.Api.Preparation;

/// <summary>A train example shown to the model before each question: its question, its answer and its encoded image.</summary>
/// <param name="DataUrl">The image's data URL as a JSON string literal, copied as is into every line.</param>
/// <param name="Width">The encoded image's width, which its token cost depends on.</param>
/// <param name="Height">The encoded image's height.</param>
public sealed record FewShotPair(string ExampleId, string Question, string Answer, byte[] DataUrl, int Width, int Height);
