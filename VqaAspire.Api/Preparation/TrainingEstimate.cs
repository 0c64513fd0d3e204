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

public sealed class PricingOptions
{
    public const string SectionName = "Pricing";

    /// <summary>Prices per model id, in US dollars per million tokens.</summary>
    public Dictionary<string, ModelPrice> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ModelPrice? Find(string model) =>
        Models.TryGetValue(model, out var price) ? price
        // A fine-tuned model is priced as its base snapshot's fine-tuned inference: ft:BASE:org:suffix:id.
        : model.StartsWith("ft:", StringComparison.Ordinal) && Models.TryGetValue(model.Split(':')[1], out var basePrice) ? basePrice with { InputPerMillion = basePrice.FineTunedInputPerMillion ?? basePrice.InputPerMillion, OutputPerMillion = basePrice.FineTunedOutputPerMillion ?? basePrice.OutputPerMillion }
        : null;
}

/// <summary>A model's prices in US dollars per million tokens.</summary>
public sealed record ModelPrice
{
    public decimal? TrainingPerMillion { get; init; }
    public decimal InputPerMillion { get; init; }
    public decimal OutputPerMillion { get; init; }
    public decimal? FineTunedInputPerMillion { get; init; }
    public decimal? FineTunedOutputPerMillion { get; init; }
}
