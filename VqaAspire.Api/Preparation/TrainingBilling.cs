namespace VqaAspire.Api.Preparation;

/// <summary>OpenAI's rules for what a fine-tune is billed, applied before anything is spent.</summary>
public static class TrainingBilling
{
    /// <summary>gpt-4o-2024-08-06's context for one training example; longer examples are truncated and billed at this.</summary>
    public const int MaxTokensPerExample = 65_536;

    /// <summary>
    /// The epochs OpenAI picks when n_epochs is auto: 3, raised for small files so training sees about 100 examples
    /// (at most 25 epochs), lowered for large ones to about 25,000 (at least 1).
    /// </summary>
    public static int AutoEpochs(int trainingExamples)
    {
        const int target = 3, minExamples = 100, maxExamples = 25_000, minEpochs = 1, maxEpochs = 25;
        if (trainingExamples <= 0)
        {
            return target;
        }

        if (trainingExamples * target < minExamples)
        {
            return Math.Min(maxEpochs, minExamples / trainingExamples);
        }

        return trainingExamples * target > maxExamples ? Math.Max(minEpochs, maxExamples / trainingExamples) : target;
    }
}
