namespace VqaAspire.Api.FineTuning;

/// <summary>How the fine-tune monitor follows jobs (section <c>FineTuning</c>).</summary>
public sealed class FineTuneMonitorOptions
{
    public const string SectionName = "FineTuning";

    /// <summary>How often followed jobs are polled. OpenAI's jobs take minutes to hours; the emulator's seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
