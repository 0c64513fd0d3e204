using Microsoft.ML.Tokenizers;
using VqaAspire.Api.Imaging;

namespace VqaAspire.Api.Preparation;

/// <summary>
/// Counts tokens as OpenAI bills gpt-4o: o200k for text, the tile formula for images, and the chat format's
/// few tokens per message.
/// </summary>
public sealed class TokenCounter
{
    /// <summary>Tokens the chat format adds around each message (role and separators).</summary>
    public const int TokensPerMessage = 3;

    /// <summary>Tokens that open the assistant's reply.</summary>
    public const int TokensPerConversation = 3;

    public const int LowDetailImageTokens = 85;
    private const int TileTokens = 170;

    private readonly Tokenizer _tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");

    public int CountText(string text) => text.Length == 0 ? 0 : _tokenizer.CountTokens(text);

    /// <summary>
    /// gpt-4o image tokens. Low: 85. High (and auto, which OpenAI treats as high for these sizes): fit within
    /// 2048x2048, then scale so the shortest side is at most 768, then 85 + 170 per 512-pixel tile.
    /// </summary>
    public static int ImageTokens(int width, int height, ImageDetail detail)
    {
        if (detail == ImageDetail.Low)
        {
            return LowDetailImageTokens;
        }

        double w = width, h = height;
        if (Math.Max(w, h) > 2048)
        {
            var scale = 2048 / Math.Max(w, h);
            w *= scale;
            h *= scale;
        }

        if (Math.Min(w, h) > 768)
        {
            var scale = 768 / Math.Min(w, h);
            w *= scale;
            h *= scale;
        }

        var tiles = (int)Math.Ceiling(Math.Floor(w) / 512) * (int)Math.Ceiling(Math.Floor(h) / 512);
        return LowDetailImageTokens + TileTokens * tiles;
    }

    public static ImageDetail ParseDetail(string? detail) => detail?.ToLowerInvariant() switch
    {
        "low" => ImageDetail.Low,
        "high" => ImageDetail.High,
        _ => ImageDetail.Auto,
    };
}
