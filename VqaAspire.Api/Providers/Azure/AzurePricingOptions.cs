namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// Azure OpenAI's fine-tuning prices (<c>Pricing:Azure</c>), which differ from OpenAI's: training per training type,
/// and an hourly hosting fee per deployment type (Azure's fine-tuning-cost-management article: $1.70/hour for Standard
/// and Global Standard, none for Developer). Fill them in from Azure's pricing page.
/// </summary>
public sealed class AzurePricingOptions
{
    public const string SectionName = "Pricing:Azure";

    /// <summary>US dollars per million training tokens, by base model, then by training type (Standard, GlobalStandard, Developer).</summary>
    public Dictionary<string, Dictionary<string, decimal>> TrainingPerMillion { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>US dollars per hour a fine-tuned deployment costs, by deployment type.</summary>
    public Dictionary<string, decimal> HostingPerHour { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public decimal? Training(string model, string trainingType) =>
        TrainingPerMillion.TryGetValue(model, out var byType) && byType.TryGetValue(trainingType, out var price) ? price : null;

    public decimal? Hosting(string sku) => HostingPerHour.TryGetValue(sku, out var price) ? price : null;
}
