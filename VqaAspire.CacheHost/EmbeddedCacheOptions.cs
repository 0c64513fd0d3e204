namespace VqaAspire.CacheHost;

public sealed class EmbeddedCacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>TCP port the RESP protocol listens on (given by the AppHost's endpoint).</summary>
    public int Port { get; set; } = 6379;

    /// <summary>Where the append-only file and checkpoints go, so state survives a restart. Empty keeps everything in memory.</summary>
    public string? DataDirectory { get; set; }
}
