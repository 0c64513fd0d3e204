namespace VqaAspire.Api.Preparation;

/// <summary>Model prices for estimates and evaluation costs (section <c>Pricing</c>).</summary>
public sealed class PricingOptions
{
    public const string SectionName = "Pricing";

    /// <summary>Prices per model id, in US dollars per million tokens.</summary>
    public Dictionary<string, ModelPrice> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first model with a negative price, or null: a price below zero is a typo that would show savings.</summary>
    public string? NegativePrice() => Models.FirstOrDefault(m => m.Value.IsNegative).Key;

    public ModelPrice? Find(string model) =>
        Models.TryGetValue(model, out var price) ? price
        // A fine-tuned model is priced as its base snapshot's fine-tuned inference: ft:BASE:org:suffix:id.
        : model.StartsWith("ft:", StringComparison.Ordinal) && Models.TryGetValue(model.Split(':')[1], out var basePrice) ? basePrice with { InputPerMillion = basePrice.FineTunedInputPerMillion ?? basePrice.InputPerMillion, OutputPerMillion = basePrice.FineTunedOutputPerMillion ?? basePrice.OutputPerMillion }
        : null;
}
