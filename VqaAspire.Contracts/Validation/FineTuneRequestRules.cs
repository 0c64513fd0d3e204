namespace VqaAspire.Contracts;

/// <summary>
/// OpenAI's ranges for fine-tuning hyperparameters: the one definition the api refuses a request by and the web's
/// forms check each field against before sending anything.
/// </summary>
public static class FineTuneRequestRules
{
    public const int MinEpochs = 1;
    public const int MaxEpochs = 50;
    public const int MinBatchSize = 1;
    public const int MaxBatchSize = 256;
    public const int MaxSuffixLength = 64;

    /// <summary>OpenAI takes 16 metadata pairs; the app uses one to find a job by its run.</summary>
    public const int MaxMetadataPairs = 15;

    /// <summary>Every problem of the settings, each at its field (prefixed with <paramref name="prefix"/> when nested).</summary>
    public static IReadOnlyList<FieldProblem> Check(FineTuneRequest request, string prefix = "")
    {
        var problems = new List<FieldProblem>();
        if (request.Epochs is < MinEpochs or > MaxEpochs)
        {
            problems.Add(new($"{prefix}epochs", $"epochs must be between {MinEpochs} and {MaxEpochs}, or auto."));
        }

        if (request.BatchSize is < MinBatchSize or > MaxBatchSize)
        {
            problems.Add(new($"{prefix}batchSize", $"batchSize must be between {MinBatchSize} and {MaxBatchSize}, or auto."));
        }

        if (request.LearningRateMultiplier is <= 0)
        {
            problems.Add(new($"{prefix}learningRateMultiplier", "learningRateMultiplier must be greater than 0, or auto."));
        }

        if (request.Suffix is { Length: > MaxSuffixLength })
        {
            problems.Add(new($"{prefix}suffix", $"suffix must be at most {MaxSuffixLength} characters."));
        }

        if (request.Metadata is { Count: > MaxMetadataPairs })
        {
            problems.Add(new($"{prefix}metadata", "metadata takes at most 16 pairs, one of which the app uses."));
        }

        return problems;
    }

    /// <summary>The first problem, or null when the settings can work.</summary>
    public static string? Problem(FineTuneRequest request) => Check(request).FirstOrDefault()?.Message;
}
