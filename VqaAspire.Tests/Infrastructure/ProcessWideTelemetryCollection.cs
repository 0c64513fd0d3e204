namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// Classes that listen to the pipeline's ActivitySource process-wide (an ActivityListener, a tracer provider): they
/// would hear the spans of any class running beside them, so they run alone, after the classes that run side by side.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTelemetryCollection
{
    public const string Name = "Process-wide telemetry";
}
