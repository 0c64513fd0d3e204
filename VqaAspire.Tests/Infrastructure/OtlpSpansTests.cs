using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using VqaAspire.Api.FineTuning;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// The spans a service exports over OTLP read back as sent, and a step's later work (a fine-tune's poll) lands in the
/// trace the run page links the step to.
/// </summary>
[Trait("Category", TestCategories.Unit)]
[Collection(ProcessWideTelemetryCollection.Name)]
public sealed class OtlpSpansTests
{
    [Fact]
    public async Task AStepsLaterWorkIsExportedInsideTheStepsTrace()
    {
        await using var capture = await OtlpCapture.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = capture.Endpoint;
        builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();

        string stepTrace;
        using (var step = PipelineTelemetry.ActivitySource.StartActivity("vqa.finetune"))
        {
            stepTrace = step!.TraceId.ToHexString();
        }

        using (StepTrace.Start("vqa.finetune.poll", stepTrace))
        {
        }

        using (StepTrace.Start("vqa.finetune.poll", traceId: null))
        {
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        await host.StopAsync();

        var spans = capture.Spans().Where(s => s.Name.StartsWith("vqa.finetune", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, spans.Count);
        Assert.Equal(32, spans[0].TraceId.Length);
        Assert.Single(spans, s => s.Name == "vqa.finetune" && s.TraceId == stepTrace && s.ParentSpanId == "");
        // The poll sits in the step's trace, under a parent derived from the trace id.
        Assert.Single(spans, s => s.Name == "vqa.finetune.poll" && s.TraceId == stepTrace && s.ParentSpanId == stepTrace[..16]);
        // With no step trace, a poll starts a trace of its own.
        Assert.Single(spans, s => s.Name == "vqa.finetune.poll" && s.TraceId != stepTrace);
    }
}
