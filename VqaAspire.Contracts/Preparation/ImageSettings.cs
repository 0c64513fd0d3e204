namespace VqaAspire.Contracts;

/// <param name="Quality">JPEG quality, 1-100 (the notebook uses 50).</param>
/// <param name="MaxSide">Longest side in pixels after resizing; null keeps the size.</param>
/// <param name="Detail">auto, low or high: what OpenAI looks at, and what an image costs.</param>
public sealed record ImageSettings(int Quality = 50, int? MaxSide = null, string Detail = "auto");
