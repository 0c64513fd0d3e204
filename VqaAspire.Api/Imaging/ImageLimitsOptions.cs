using System.ComponentModel.DataAnnotations;

namespace VqaAspire.Api.Imaging;

/// <summary>Limits that protect the encoder from hostile or huge inputs.</summary>
public sealed class ImageLimitsOptions
{
    public const string SectionName = "Images";

    /// <summary>Largest source file accepted, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxSourceBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Largest decoded image, in pixels: a small file claiming huge dimensions (a decompression bomb) is refused before decoding.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>OpenAI refuses training images over 10 MB; an encoded image over this is reported, not written.</summary>
    [Range(1, long.MaxValue)]
    public long MaxEncodedBytes { get; set; } = 10L * 1024 * 1024;
}
