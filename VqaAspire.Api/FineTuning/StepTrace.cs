using System.Diagnostics;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.FineTuning;

/// <summary>
/// Puts a step's later work (a fine-tune's creation and its polls, minutes or hours after the step began) into the
/// trace the run page links the step to, so the link lands on everything the step did, not a 10 ms stub.
/// </summary>
public static class StepTrace
{
    /// <summary>
    /// A span in the step's trace when the step has one; otherwise a trace of its own. The step keeps only its trace id,
    /// so the parent span id is derived from it: the dashboard lists such spans at the top of the step's trace.
    /// </summary>
    public static Activity? Start(string name, string? traceId)
    {
        if (traceId is not { Length: 32 } || !traceId.All(char.IsAsciiHexDigitLower))
        {
            return PipelineTelemetry.ActivitySource.StartActivity(name);
        }

        var parent = new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateFromString(traceId.AsSpan(0, 16)),
            ActivityTraceFlags.Recorded, isRemote: true);
        return PipelineTelemetry.ActivitySource.StartActivity(name, ActivityKind.Internal, parent);
    }
}
