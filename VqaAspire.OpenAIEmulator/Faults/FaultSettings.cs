namespace VqaAspire.OpenAIEmulator.Faults;

/// <summary>
/// Faults the emulator injects into <c>/v1</c> requests. All off by default. Set them with <c>Emulator:Faults:*</c>
/// settings at start, or at run time with <c>POST /admin/faults</c> (the same JSON, snake_case).
/// </summary>
public sealed class FaultSettings
{
    /// <summary>Requests per minute before 429 (0: no limit). Counted per fixed one-minute window.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary>Tokens per minute before 429 (0: no limit). A chat request counts its body length / 4 plus max tokens.</summary>
    public int TokensPerMinute { get; set; }

    /// <summary>Fraction (0..1) of requests answered 429 at random, whatever the limits (a busy shared capacity).</summary>
    public double RateLimitErrorRate { get; set; }

    /// <summary>The wait those random 429s ask for, in <c>retry-after-ms</c> (and rounded up in seconds in <c>Retry-After</c>).</summary>
    public int RetryAfterMilliseconds { get; set; } = 500;

    /// <summary>Fraction (0..1) of requests answered with a server error instead.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>The statuses a server error picks from, in turn at random: 500 and 503.</summary>
    public int[] ServerErrorStatuses { get; set; } = [500, 503];

    /// <summary>Fixed latency added to every request, in milliseconds.</summary>
    public int LatencyMilliseconds { get; set; }

    /// <summary>Uniform random latency added on top, 0..this many milliseconds.</summary>
    public int LatencyJitterMilliseconds { get; set; }

    /// <summary>Fraction (0..1) of requests held for <see cref="LatencySpikeMilliseconds"/> on top: rare slow answers among fast ones.</summary>
    public double LatencySpikeRate { get; set; }

    /// <summary>The extra wait of a latency spike, in milliseconds.</summary>
    public int LatencySpikeMilliseconds { get; set; } = 2000;

    /// <summary>Fraction (0..1) of fine-tuning jobs that fail while running (error code <c>server_error</c>).</summary>
    public double FailJobRate { get; set; }

    /// <summary>Refuse job creation with 403 <c>training_not_available</c>, as OpenAI now does for most organisations.</summary>
    public bool TrainingNotAvailable { get; set; }

    /// <summary>
    /// Azure surface only: fraction (0..1) of chat completions refused as Azure's content filter refuses a prompt:
    /// HTTP 400, <c>error.code</c> <c>content_filter</c>, <c>innererror.code</c> <c>ResponsibleAIPolicyViolation</c>.
    /// </summary>
    public double ContentFilterRate { get; set; }

    /// <summary>The deployments <see cref="ContentFilterRate"/> applies to; empty for all of them.</summary>
    public string[] ContentFilterDeployments { get; set; } = [];

    /// <summary>Whether a chat completion through this deployment is refused by the content filter, drawn per request.</summary>
    public bool FiltersContent(string deployment) =>
        ContentFilterRate > 0 && (ContentFilterDeployments.Length == 0 || ContentFilterDeployments.Contains(deployment, StringComparer.Ordinal))
        && (ContentFilterRate >= 1 || Random.Shared.NextDouble() < ContentFilterRate);

    public FaultSettings Copy() => (FaultSettings)MemberwiseClone();
}
