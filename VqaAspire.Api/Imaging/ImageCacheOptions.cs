namespace VqaAspire.Api.Imaging;

/// <summary>How long encoded images are cached (section <c>ImageCache</c>).</summary>
public sealed class ImageCacheOptions
{
    public const string SectionName = "ImageCache";

    /// <summary>How long an encoded image stays; it may be evicted earlier, and is then encoded again.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(7);
}
