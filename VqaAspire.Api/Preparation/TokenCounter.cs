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

    /// <summary>Longest stretch handed to the tokenizer at once.</summary>
    public const int MaxPieceLength = 512;

    /// <summary>
    /// o200k tokens, counted in pieces of at most <see cref="MaxPieceLength"/> characters. A piece ends before the
    /// last space in it that starts a word, where o200k never joins across, so ordinary text counts exactly as a
    /// whole; a long run without one (base64 pasted as text) is cut every <see cref="MaxPieceLength"/> characters,
    /// which keeps it fast (BPE is quadratic in a word's length). The emulator counts the same way.
    /// </summary>
    public int CountText(string text)
    {
        var count = 0;
        var remaining = text.AsSpan();
        while (remaining.Length > MaxPieceLength)
        {
            var end = PieceEnd(remaining);
            count += _tokenizer.CountTokens(remaining[..end]);
            remaining = remaining[end..];
        }

        return remaining.IsEmpty ? count : count + _tokenizer.CountTokens(remaining);
    }

    // The last word-starting space within the first MaxPieceLength characters; text is longer than that.
    private static int PieceEnd(ReadOnlySpan<char> text)
    {
        for (var i = MaxPieceLength - 1; i > 0; i--)
        {
            if (text[i] == ' ' && !char.IsWhiteSpace(text[i + 1]))
            {
                return i;
            }
        }

        return MaxPieceLength;
    }

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
