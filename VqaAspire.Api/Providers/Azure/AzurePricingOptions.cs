namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// Azure OpenAI's fine-tuning prices (<c>Pricing:Azure</c>), which differ from OpenAI's: training per training type,
/// and an hourly hosting fee per deployment type (Azure's fine-tuning-cost-management article: $1.70/hour for Standard
/// and Global Standard, none for Developer). Fill them in from Azure's pricing page.
/// </summary>
public sealed class AzurePricingOptions
{
    public const string SectionName = "Pricing:Azure";

    /// <summary>US dollars per million training tokens, by base model, then by training type (Standard, GlobalStandard, developerTier; "Developer" reads as developerTier).</summary>
    public Dictionary<string, Dictionary<string, decimal>> TrainingPerMillion { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>US dollars per hour a fine-tuned deployment costs, by deployment type (Standard, GlobalStandard, DeveloperTier; "Developer" reads as DeveloperTier).</summary>
    public Dictionary<string, decimal> HostingPerHour { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public decimal? Training(string model, string trainingType) =>
        TrainingPerMillion.TryGetValue(model, out var byType) ? Find(byType, trainingType, AzureRules.TrainingType) : null;

    public decimal? Hosting(string sku) => Find(HostingPerHour, sku, AzureRules.DeploymentSku);

    /// <summary>The price under a key that names the same Azure value, whichever of Azure's spellings the key and the value use.</summary>
    private static decimal? Find(Dictionary<string, decimal> prices, string name, Func<string?, string?> canonical)
    {
        var wanted = canonical(name) ?? name;
        return prices.Where(kv => string.Equals(canonical(kv.Key) ?? kv.Key, wanted, StringComparison.OrdinalIgnoreCase)).Select(kv => (decimal?)kv.Value).FirstOrDefault();
    }
}
