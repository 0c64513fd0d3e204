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

    /// <summary>
    /// How long a replica's claim on work lives without being renewed: a live replica renews it every third of this
    /// (so a preparation of minutes or a fine-tune followed for hours stays its own); a replica that died stops, and
    /// another takes its work over once this has passed.
    /// </summary>
    public TimeSpan ClaimAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle worker looks for work in the shared queue.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
