using Microsoft.Extensions.Options;
using VqaAspire.Api.Preparation;

namespace VqaAspire.Api.Providers.Azure;

public static class AzureServiceExtensions
{
    /// <summary>Registers Azure OpenAI's pieces: its prices, and the Resource Manager client that deploys fine-tuned models.</summary>
    public static IServiceCollection AddAzureOpenAI(this IServiceCollection services)
    {
        services.AddOptions<AzurePricingOptions>().BindConfiguration(AzurePricingOptions.SectionName)
            .Validate(o => o.TrainingPerMillion.Values.SelectMany(prices => prices.Values).All(price => price >= 0) && o.HostingPerHour.Values.All(price => price >= 0),
                "Pricing:Azure: prices cannot be negative.")
            .ValidateOnStart();

        // On Azure, a fine-tune is billed at Azure's training price for the training type, not OpenAI's: the
        // estimate and the run's cost read PricingOptions, so Azure's prices replace OpenAI's there.
        services.AddOptions<PricingOptions>().PostConfigure<IOptions<ProviderOptions>, IOptions<AzurePricingOptions>>((pricing, provider, azure) =>
        {
            if (!provider.Value.IsAzure)
            {
                return;
            }

            foreach (var (model, price) in pricing.Models.ToList())
            {
                pricing.Models[model] = price with { TrainingPerMillion = azure.Value.Training(model, provider.Value.AzureTrainingType) };
            }

            foreach (var model in azure.Value.TrainingPerMillion.Keys.Where(m => !pricing.Models.ContainsKey(m)))
            {
                pricing.Models[model] = new ModelPrice { TrainingPerMillion = azure.Value.Training(model, provider.Value.AzureTrainingType) };
            }
        });

        services.AddHttpClient<AzureDeploymentClient>(http => http.Timeout = TimeSpan.FromMinutes(2));
        return services;
    }
}
