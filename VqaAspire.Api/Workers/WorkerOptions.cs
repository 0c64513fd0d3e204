namespace VqaAspire.Api.Workers;

/// <summary>
/// How many items the pipeline's workers take at once and how long one may take (section <c>Workers</c>): an import
/// or a preparation that hangs holds one slot until its time limit, never the ones behind it.
/// </summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Workers";

    /// <summary>Preparations at once (each uses every core, so few).</summary>
    public int Preparations { get; set; } = 2;

    public TimeSpan PreparationTimeLimit { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Dataset imports (downloads) at once.</summary>
    public int Imports { get; set; } = 2;

    public TimeSpan ImportTimeLimit { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The longest one step of following a fine-tune (a poll, an upload) may take before it is tried again at the next tick.</summary>
    public TimeSpan FineTuneStepTimeLimit { get; set; } = TimeSpan.FromHours(1);
}
