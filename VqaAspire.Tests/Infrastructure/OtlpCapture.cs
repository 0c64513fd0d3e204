using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// A stand-in OpenTelemetry collector on a loopback port (OTLP over HTTP/protobuf): it keeps every export as sent, so a
/// test can search the spans, logs and metrics the services emitted byte for byte.
/// </summary>
public sealed class OtlpCapture : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports = new();

    private OtlpCapture(WebApplication app) => _app = app;

    /// <summary>The base URL to give the services as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Every export received so far: its signal (traces, logs, metrics) and its protobuf body.</summary>
    public IReadOnlyList<(string Signal, byte[] Body)> Exports => [.. _exports];

    public static async Task<OtlpCapture> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var capture = new OtlpCapture(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            capture._exports.Enqueue((signal, body.ToArray()));
            // An empty Export*ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        capture.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return capture;
    }

    /// <summary>Whether any export of <paramref name="signal"/> holds <paramref name="text"/> as UTF-8 (protobuf keeps strings as they are).</summary>
    public bool Contains(string signal, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return Exports.Any(e => e.Signal == signal && e.Body.AsSpan().IndexOf(needle) >= 0);
    }

    /// <summary>Every span exported so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans() => [.. Exports.Where(e => e.Signal == "traces").SelectMany(e => OtlpSpans.Read(e.Body))];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
