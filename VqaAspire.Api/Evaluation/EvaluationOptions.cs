namespace VqaAspire.Api.Evaluation;

public sealed class EvaluationOptions
{
    public const string SectionName = "Evaluation";

    /// <summary>How often a batch is checked. OpenAI's batches take minutes to hours; the emulator's seconds.</summary>
    public TimeSpan BatchPollInterval { get; set; } = TimeSpan.FromSeconds(10);
}
