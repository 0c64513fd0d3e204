using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VqaAspire.Api.Caching;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Status;

/// <summary>Checks, right now, that the cache takes a write and the provider answers.</summary>
public sealed class StatusService(
    IConnectionMultiplexer redis,
    IModelProvider provider,
    IOptions<CacheOptions> cacheOptions,
    TimeProvider time,
    ILogger<StatusService> logger,
    IOptions<Providers.Azure.AzurePricingOptions>? azurePricing = null)
{
    /// <summary>The key the status check writes and reads back.</summary>
    public const string ProbeKey = "vqa:status:last-check";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A provider that answered this recently and is merely slow now (a busy machine) still counts as reachable.</summary>
    private static readonly TimeSpan RecentAnswer = TimeSpan.FromMinutes(1);

    // Ticks of the last answer (0: none yet), read and written by concurrent checks.
    private long _lastAnsweredTicks;

    private TimeSpan SinceLastAnswer => Interlocked.Read(ref _lastAnsweredTicks) is var ticks and > 0 ? time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero) : TimeSpan.MaxValue;

    public async Task<ApiStatus> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cacheTask = CheckCacheAsync(now);
        var providerTask = CheckProviderAsync(cancellationToken);
        var providerStatus = await providerTask;
        return new ApiStatus(provider.Settings.IsAzure ? providerStatus with { Azure = AzureStatus(provider.Settings) } : providerStatus, await cacheTask, now);
    }

    private async Task<CacheStatus> CheckCacheAsync(DateTimeOffset now)
    {
        var mode = cacheOptions.Value.Mode;
        try
        {
            var db = redis.GetDatabase();
            var stamp = now.ToString("O");
            var started = Stopwatch.GetTimestamp();
            // Write and read back in one transaction: checks made at the same moment (several dashboards opening Home)
            // would otherwise read each other's stamp and report a healthy cache as broken.
            var check = db.CreateTransaction();
            _ = check.StringSetAsync(ProbeKey, stamp, TimeSpan.FromDays(1));
            var read = check.StringGetAsync(ProbeKey);
            await check.ExecuteAsync().WaitAsync(ProbeTimeout);
            var readBack = await read.WaitAsync(ProbeTimeout);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return readBack == stamp
                ? new CacheStatus(mode, true, Math.Round(elapsed, 2), null)
                : new CacheStatus(mode, false, null, "The cache returned a different value than was written.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Cache check failed");
            return new CacheStatus(mode, false, null, $"The cache does not answer: {ex.Message}");
        }
    }

    private async Task<ProviderStatus> CheckProviderAsync(CancellationToken cancellationToken)
    {
        var settings = provider.Settings;
        if (settings.Problem() is { } problem)
        {
            return new ProviderStatus(settings.Kind, SafeHost(settings), settings.IsEmulated, false, problem);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            await provider.ListModelIdsAsync(timeout.Token);
            Interlocked.Exchange(ref _lastAnsweredTicks, time.GetUtcNow().UtcTicks);
            return new ProviderStatus(settings.Kind, settings.EndpointHost, settings.IsEmulated, true, null);
        }
        catch (ClientResultException ex)
        {
            // The SDK's message can quote the request; keep only the status, which never holds the key.
            logger.LogWarning("Provider check failed with HTTP {Status}", ex.Status);
            var reason = ex.Status switch
            {
                401 => "The provider refused the key (HTTP 401).",
                403 => "The provider refused access (HTTP 403).",
                404 => "The endpoint has no model listing (HTTP 404): check the endpoint URL.",
                0 => "The provider could not be reached.",
                _ => $"The provider answered HTTP {ex.Status}.",
            };
            return new ProviderStatus(settings.Kind, settings.EndpointHost, settings.IsEmulated, false, reason);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && SinceLastAnswer < RecentAnswer && !cancellationToken.IsCancellationRequested)
        {
            // No answer within the probe's time, but an answer a moment ago: slow, not unreachable.
            logger.LogInformation("Provider check timed out; it answered {Ago} ago", SinceLastAnswer);
            return new ProviderStatus(settings.Kind, settings.EndpointHost, settings.IsEmulated, true, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TimeoutException)
        {
            logger.LogWarning("Provider check failed: {Reason}", ex.GetType().Name);
            return new ProviderStatus(settings.Kind, settings.EndpointHost, settings.IsEmulated, false,
                $"The provider could not be reached within {ProbeTimeout.TotalSeconds:0} s.");
        }
    }

    private AzureDeploymentsStatus AzureStatus(ProviderOptions settings)
    {
        var azure = settings.Azure;
        return new AzureDeploymentsStatus(azure.BaseDeployment, azure.JudgeDeployment, azure.BatchDeployment, settings.AzureTrainingType,
            azure.CanDeploy ? azure.Account : null, azure.DeploymentSku, azurePricing?.Value.Hosting(azure.DeploymentSku), azure.MissingDeployments(batch: false));
    }

    private static string SafeHost(ProviderOptions settings)
    {
        try
        {
            return settings.EndpointHost;
        }
        catch (Exception ex) when (ex is UriFormatException or FormatException or NullReferenceException)
        {
            return "(not set)";
        }
    }
}
