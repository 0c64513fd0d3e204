using System.ComponentModel.DataAnnotations;

namespace VqaAspire.Api.Caching;

/// <summary>How the AppHost provided the cache; shown on the status page.</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>redis (the Aspire container) or embedded (the Garnet host).</summary>
    [AllowedValues("redis", "embedded")]
    public string Mode { get; set; } = "redis";
}
