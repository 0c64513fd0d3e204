namespace VqaAspire.Api.Imaging;

/// <summary>The <c>detail</c> OpenAI is asked to look at an image with; it sets the image's token cost.</summary>
public enum ImageDetail
{
    Auto,
    Low,
    High,
}

/// <summary>How source images become the JPEG data URLs written into training lines.</summary>
/// <param name="JpegQuality">1-100; the reference notebook uses 50.</param>
/// <param name="MaxSide">Longest side after resizing, or null to keep the size.</param>
public sealed record ImageEncodingSettings(int JpegQuality = 50, int? MaxSide = null)
{
    /// <summary>Bumped when the encoder's output changes for the same settings, so old cache entries are not reused.</summary>
    public const int EncoderVersion = 2;

    /// <summary>Part of the cache key: the same source bytes with other settings are another entry.</summary>
    /// <remarks>
    /// The codec is not in it: TurboJPEG and libvips give different bytes for the same cover, both the same size and
    /// within rounding of each other, so an entry either wrote is a right answer for both (a shared cache need not
    /// hold every cover twice).
    /// </remarks>
    public string CacheDiscriminator => $"v{EncoderVersion};q{JpegQuality};m{MaxSide?.ToString() ?? "-"}";

    public string? Problem() =>
        JpegQuality is < 1 or > 100 ? "JPEG quality must be between 1 and 100."
        : MaxSide is < 16 or > 8192 ? "Max side must be between 16 and 8192 pixels."
        : null;
}
