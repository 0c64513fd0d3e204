namespace VqaAspire.Contracts;

public static class StepStatusExtensions
{
    /// <summary>The status as the api writes it ("succeeded"), for messages and labels.</summary>
    public static string Name(this StepStatus status) => status switch
    {
        StepStatus.Pending => "pending",
        StepStatus.Queued => "queued",
        StepStatus.Running => "running",
        StepStatus.Succeeded => "succeeded",
        StepStatus.Failed => "failed",
        StepStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>True while the step may still change on its own: waiting or under way.</summary>
    public static bool IsActive(this StepStatus status) => status is StepStatus.Pending or StepStatus.Queued or StepStatus.Running;

    /// <summary>True once the step ended, well or not.</summary>
    public static bool IsFinished(this StepStatus status) => status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Cancelled;
}
