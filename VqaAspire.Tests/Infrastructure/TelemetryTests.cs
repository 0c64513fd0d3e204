using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Tests.Infrastructure;

[Trait("Category", TestCategories.Unit)]
[Collection(ProcessWideTelemetryCollection.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public async Task PipelineSpansAreExportedByTheServiceDefaults()
    {
        var exported = new List<Activity>();
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported));

        using var host = builder.Build();
        await host.StartAsync();
        var runId = Guid.NewGuid().ToString("N");
        using (var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.prepare"))
        {
            span?.SetTag(PipelineTelemetry.RunIdTag, runId);
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        await host.StopAsync();

        var prepare = Assert.Single(exported, a => a.OperationName == "vqa.prepare");
        Assert.Equal(PipelineTelemetry.Name, prepare.Source.Name);
        Assert.Equal(runId, prepare.GetTagItem(PipelineTelemetry.RunIdTag));
    }
}
