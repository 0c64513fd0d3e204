using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace VqaAspire.OpenAIEmulator.Faults;

/// <summary>The faults in force and the rate-limit windows they count against.</summary>
public sealed class FaultInjector(IOptions<EmulatorOptions> options, TimeProvider time)
{
    /// <summary>The response header giving the milliseconds an answer was held on purpose (latency, jitter, a spike).</summary>
    public const string InjectedDelayHeader = "x-emulator-injected-delay-ms";

    private readonly Lock _gate = new();
    private volatile FaultSettings _settings = options.Value.Faults.Copy();
    private long _windowStart;
    private int _requests;
    private long _tokens;

    public FaultSettings Settings => _settings;

    public void Replace(FaultSettings settings)
    {
        lock (_gate)
        {
            _settings = settings.Copy();
            _windowStart = 0;
            _requests = 0;
            _tokens = 0;
        }
    }

    /// <summary>Whether a job should fail, drawn once per job.</summary>
    public bool DrawJobFailure() => _settings.FailJobRate > 0 && Random.Shared.NextDouble() < _settings.FailJobRate;

    /// <summary>Counts the request against the rate limits; returns a 429 result when a limit is reached.</summary>
    public IResult? Admit(HttpContext context, FaultSettings settings, long tokens)
    {
        if (settings.RequestsPerMinute <= 0 && settings.TokensPerMinute <= 0)
        {
            return null;
        }

        int requests;
        long usedTokens;
        TimeSpan reset;
        bool requestsExceeded, tokensExceeded;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_windowStart == 0 || time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromMinutes(1))
            {
                _windowStart = now;
                _requests = 0;
                _tokens = 0;
            }

            reset = TimeSpan.FromMinutes(1) - time.GetElapsedTime(_windowStart, now);
            requestsExceeded = settings.RequestsPerMinute > 0 && _requests + 1 > settings.RequestsPerMinute;
            tokensExceeded = settings.TokensPerMinute > 0 && _tokens + tokens > settings.TokensPerMinute;
            if (!requestsExceeded && !tokensExceeded)
            {
                _requests++;
                _tokens += tokens;
            }

            requests = _requests;
            usedTokens = _tokens;
        }

        var headers = context.Response.Headers;
        var resetText = FormatDuration(reset);
        if (settings.RequestsPerMinute > 0)
        {
            headers["x-ratelimit-limit-requests"] = settings.RequestsPerMinute.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-requests"] = Math.Max(0, settings.RequestsPerMinute - requests).ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-requests"] = resetText;
        }

        if (settings.TokensPerMinute > 0)
        {
            headers["x-ratelimit-limit-tokens"] = settings.TokensPerMinute.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-tokens"] = Math.Max(0, settings.TokensPerMinute - usedTokens).ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-tokens"] = resetText;
        }

        if (!requestsExceeded && !tokensExceeded)
        {
            return null;
        }

        headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(reset.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var message = requestsExceeded
            ? $"Rate limit reached for requests per min (RPM): Limit {settings.RequestsPerMinute}, Used {requests}, Requested 1. Please try again in {resetText}."
            : $"Rate limit reached for tokens per min (TPM): Limit {settings.TokensPerMinute}, Used {usedTokens}, Requested {tokens}. Please try again in {resetText}.";
        return OpenAIError.Result(StatusCodes.Status429TooManyRequests, message, requestsExceeded ? "requests" : "tokens", null, "rate_limit_exceeded");
    }

    /// <summary>OpenAI's reset format: <c>20ms</c>, <c>1.5s</c>, <c>6m0s</c>.</summary>
    internal static string FormatDuration(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Max(1, (int)span.TotalMilliseconds)}ms";
        }

        return span < TimeSpan.FromMinutes(1)
            ? $"{Math.Round(span.TotalSeconds, 3).ToString(CultureInfo.InvariantCulture)}s"
            : $"{(int)span.TotalMinutes}m{span.Seconds}s";
    }
}

/// <summary>Applies the injected faults to every <c>/v1</c> request: latency, then rate limits, then server errors.</summary>
public sealed class FaultFilter(FaultInjector faults) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = faults.Settings;
        var http = context.HttpContext;
        var delay = settings.LatencyMilliseconds
            + (settings.LatencyJitterMilliseconds > 0 ? Random.Shared.Next(settings.LatencyJitterMilliseconds + 1) : 0)
            + (settings.LatencySpikeRate > 0 && Random.Shared.NextDouble() < settings.LatencySpikeRate ? settings.LatencySpikeMilliseconds : 0);
        if (delay > 0)
        {
            // Said in the answer, so a client (or a test on a busy machine) tells an injected hold from a slow server.
            http.Response.Headers[FaultInjector.InjectedDelayHeader] = delay.ToString(CultureInfo.InvariantCulture);
            await Task.Delay(delay, http.RequestAborted);
        }

        var tokens = 0L;
        if (settings.TokensPerMinute > 0 && http.Request.Path.Value?.EndsWith("/chat/completions", StringComparison.Ordinal) == true)
        {
            // A chunked body has no length up front: buffer it to count (only while a token limit is set).
            if (http.Request.ContentLength is not { } length)
            {
                http.Request.EnableBuffering();
                await http.Request.Body.DrainAsync(http.RequestAborted);
                length = http.Request.Body.Length;
                http.Request.Body.Position = 0;
            }

            tokens = length / 4;
        }

        if (faults.Admit(http, settings, tokens) is { } limited)
        {
            return limited;
        }

        if (settings.RateLimitErrorRate > 0 && Random.Shared.NextDouble() < settings.RateLimitErrorRate)
        {
            var wait = Math.Max(0, settings.RetryAfterMilliseconds);
            http.Response.Headers["retry-after-ms"] = wait.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait / 1000.0)).ToString(CultureInfo.InvariantCulture);
            return OpenAIError.Result(StatusCodes.Status429TooManyRequests, "Rate limit reached: the capacity is busy (injected). Please try again shortly.",
                "requests", null, "rate_limit_exceeded");
        }

        if (settings.ServerErrorRate > 0 && Random.Shared.NextDouble() < settings.ServerErrorRate && settings.ServerErrorStatuses is { Length: > 0 } statuses)
        {
            var status = statuses[Random.Shared.Next(statuses.Length)];
            return status == StatusCodes.Status503ServiceUnavailable
                ? OpenAIError.Result(status, "The engine is currently overloaded, please try again later.", "server_error")
                : OpenAIError.Result(status, "The server had an error while processing your request. Sorry about that!", "server_error");
        }

        return await next(context);
    }
}

public static class FaultEndpoints
{
    /// <summary>Maps <c>GET /admin/faults</c> and <c>POST /admin/faults</c>, which replaces the faults in force.</summary>
    public static RouteGroupBuilder MapFaultEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/faults", (FaultInjector faults) => TypedResults.Ok(faults.Settings)).WithName("GetFaults");
        group.MapPost("/faults", (FaultSettings settings, FaultInjector faults) =>
        {
            if (settings.ServerErrorRate is < 0 or > 1 || settings.FailJobRate is < 0 or > 1 || settings.RateLimitErrorRate is < 0 or > 1
                || settings.LatencySpikeRate is < 0 or > 1)
            {
                var field = settings.ServerErrorRate is < 0 or > 1 ? "server_error_rate"
                    : settings.RateLimitErrorRate is < 0 or > 1 ? "rate_limit_error_rate"
                    : settings.LatencySpikeRate is < 0 or > 1 ? "latency_spike_rate"
                    : "fail_job_rate";
                return OpenAIError.BadRequest("server_error_rate, rate_limit_error_rate, latency_spike_rate and fail_job_rate must be between 0 and 1.", field);
            }

            if (settings.RequestsPerMinute < 0 || settings.TokensPerMinute < 0 || settings.LatencyMilliseconds < 0 || settings.LatencyJitterMilliseconds < 0
                || settings.LatencySpikeMilliseconds < 0)
            {
                return OpenAIError.BadRequest("Limits and latencies must not be negative.");
            }

            faults.Replace(settings);
            return Results.Ok(faults.Settings);
        }).WithName("SetFaults");
        return group;
    }
}
