using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace VqaAspire.Web.Security;

public static class SharedKeysExtensions
{
    /// <summary>Where the web's data-protection key ring lives in the cache.</summary>
    public const string KeyRingKey = "vqa:web:data-protection-keys";

    /// <summary>
    /// Keeps the keys that protect sign-in cookies and antiforgery tokens in the app's cache when it has one, so a
    /// restarted (or second) web still reads what it issued: users stay signed in across a restart or a redeployment.
    /// Without a cache (a web hosted on its own) the default per-process keys serve.
    /// </summary>
    public static IHostApplicationBuilder AddSharedDataProtectionKeys(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration.GetConnectionString("cache")))
        {
            return builder;
        }

        builder.AddRedisClient("cache");
        builder.Services.AddDataProtection().SetApplicationName("VqaAspire.Web");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) => options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), KeyRingKey));
        return builder;
    }
}
