using System.Text.Json;

namespace VqaAspire.OpenAIEmulator.FineTuning;

/// <summary>How one API surface creates, lists and shows jobs. OpenAI's <c>/v1</c> is this base; Azure's derives from it.</summary>
public class FineTuningSurface
{
    public static readonly FineTuningSurface OpenAI = new();

    public virtual JobRecord Create(FineTuningService jobs, JsonElement body) => jobs.Create(body);

    /// <summary>Each surface lists the jobs created through it.</summary>
    public virtual bool Shows(JobRecord record) => !record.Azure;

    public virtual FineTuningJob Present(FineTuningJob job) => job;
}
