using System.ClientModel.Primitives;
using System.Diagnostics.Metrics;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Providers;

/// <summary>
/// Counts what is sent to the provider: requests (once each), attempts (retries included), and answers by status,
/// so rate limiting and retries show on the dashboards.
/// </summary>
public sealed class ProviderMetricsPolicy : PipelinePolicy
{
    private static readonly Counter<long> RequestCounter = PipelineTelemetry.Meter.CreateCounter<long>("vqa.provider.requests", description: "Requests to the provider, each counted once.");
    private static readonly Counter<long> AttemptCounter = PipelineTelemetry.Meter.CreateCounter<long>("vqa.provider.attempts", description: "Attempts sent, retries included; attempts minus requests are the retries.");
    private static readonly Counter<long> RateLimitedCounter = PipelineTelemetry.Meter.CreateCounter<long>("vqa.provider.rate_limited", description: "Answers with HTTP 429.");

    /// <summary>Placed once per call.</summary>
    public static readonly ProviderMetricsPolicy Requests = new(perTry: false);

    /// <summary>Placed once per attempt.</summary>
    public static readonly ProviderMetricsPolicy Attempts = new(perTry: true);

    private readonly bool _perTry;

    private ProviderMetricsPolicy(bool perTry) => _perTry = perTry;

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ProcessNext(message, pipeline, currentIndex);
        Count(message);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        await ProcessNextAsync(message, pipeline, currentIndex);
        Count(message);
    }

    private void Count(PipelineMessage message)
    {
        var status = message.Response?.Status ?? 0;
        var tags = new KeyValuePair<string, object?>("http.response.status_code", status);
        if (!_perTry)
        {
            RequestCounter.Add(1, tags);
            return;
        }

        AttemptCounter.Add(1, tags);
        if (status == 429)
        {
            RateLimitedCounter.Add(1);
        }
    }
}
