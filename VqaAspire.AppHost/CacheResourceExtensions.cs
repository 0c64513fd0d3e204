using System.Diagnostics;

namespace Aspire.Hosting;

/// <summary>The cache as the AppHost wired it: a connection string named for the clients, and how it is served.</summary>
public sealed record VqaCache(IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource> Server, string Mode);

public static class CacheResourceExtensions
{
    public const string RedisMode = "redis";
    public const string EmbeddedMode = "embedded";

    /// <summary>
    /// Adds the cache: the Aspire Redis container (persistent) when a container engine answers, otherwise the embedded
    /// Garnet host persisting to a folder. <c>Cache:Mode</c> (auto, redis, embedded) overrides the detection.
    /// </summary>
    public static VqaCache AddVqaCache(this IDistributedApplicationBuilder builder, string name)
    {
        // A published app (azd) always gets the Redis container: the embedded host is for local runs.
        var mode = builder.ExecutionContext.IsPublishMode ? RedisMode : ResolveMode(builder.Configuration["Cache:Mode"], ContainerEngineAnswers);

        if (mode == RedisMode)
        {
            // Published, the volume gets a fixed name so every deployment of an environment mounts the same share.
            var redis = builder.AddRedis(name)
                .WithDataVolume(builder.ExecutionContext.IsPublishMode ? $"{name}-data" : null)
                .WithPersistence(TimeSpan.FromSeconds(10), keysChangedThreshold: 1);
            return new VqaCache(redis, redis, mode);
        }

        var dataDirectory = builder.Configuration["Cache:DataDirectory"]
            ?? Path.Combine(builder.AppHostDirectory, ".data", "cache");
        var host = builder.AddProject<Projects.VqaAspire_CacheHost>($"{name}-host")
            .WithEndpoint(name: "resp", scheme: "tcp", env: "Cache__Port")
            .WithEnvironment("Cache__DataDirectory", dataDirectory)
            .WithHttpHealthCheck("/health");

        var endpoint = host.GetEndpoint("resp");
        var connection = builder.AddConnectionString(name,
                ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}"))
            .WaitFor(host);
        // The dashboard shows the host under the cache it serves.
        host.WithParentRelationship(connection);
        return new VqaCache(connection, host, mode);
    }

    /// <summary>References the cache's connection string, waits until it answers and tells the service how it is served.</summary>
    public static IResourceBuilder<T> WithCache<T>(this IResourceBuilder<T> service, VqaCache cache)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport =>
        service.WithReference(cache.Connection)
            .WaitFor(cache.Server)
            .WithEnvironment("Cache__Mode", cache.Mode);

    internal static string ResolveMode(string? configured, Func<bool> containerEngineAnswers) =>
        configured?.Trim().ToLowerInvariant() switch
        {
            RedisMode => RedisMode,
            EmbeddedMode => EmbeddedMode,
            null or "" or "auto" => containerEngineAnswers() ? RedisMode : EmbeddedMode,
            var other => throw new InvalidOperationException(
                $"Cache:Mode '{other}' is not one of auto, {RedisMode}, {EmbeddedMode}."),
        };

    /// <summary>
    /// True when <c>docker info</c> (or the runtime named by ASPIRE_CONTAINER_RUNTIME) reaches a daemon. Without one,
    /// AddRedis would wait forever for a container that never starts.
    /// </summary>
    private static bool ContainerEngineAnswers()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } r ? r : "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The CLI is not installed.
            return false;
        }
    }
}
