namespace VqaAspire.Api.Evaluation;

public sealed class EvaluationOptions
{
    public const string SectionName = "Evaluation";

    /// <summary>How often a batch is checked. OpenAI's batches take minutes to hours; the emulator's seconds.</summary>
    public TimeSpan BatchPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Evaluations run side by side: one that hangs or crawls (a low rate limit) holds one slot, never the others.</summary>
    public int MaxConcurrentEvaluations { get; set; } = 4;

    /// <summary>The longest one chat completion (an answer or a verdict) may take before it counts as unanswered.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest an evaluation may take from its start, restarts included, before it fails. A batch may take 24 h.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromHours(26);
}
