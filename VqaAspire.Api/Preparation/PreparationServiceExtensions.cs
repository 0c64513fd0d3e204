using Microsoft.Extensions.Diagnostics.HealthChecks;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Preparation;

public static class PreparationServiceExtensions
{
    /// <summary>Registers image encoding with its cache, validation, token counting and the preparation worker.</summary>
    public static IServiceCollection AddPreparation(this IServiceCollection services)
    {
        services.AddOptions<ImageLimits>().BindConfiguration(ImageLimits.SectionName);
        services.AddOptions<ImageCacheOptions>().BindConfiguration(ImageCacheOptions.SectionName);
        services.AddOptions<PricingOptions>().BindConfiguration(PricingOptions.SectionName);
        services.AddSingleton<ImageEncoder>();
        services.AddSingleton<EncodedImageCache>();
        services.AddSingleton<CachedImageEncoder>();
        services.AddSingleton<TokenCounter>();
        services.AddSingleton<TrainingFileValidator>();
        services.AddSingleton<DatasetPreparer>();
        services.AddWorker<PreparationQueue, PreparationWorker>("preparation-worker", HealthStatus.Degraded);
        return services;
    }
}
