using Microsoft.Extensions.Diagnostics.HealthChecks;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Preparation;

public static class PreparationServiceExtensions
{
    /// <summary>Registers image encoding with its cache, validation, token counting and the preparation worker.</summary>
    public static IServiceCollection AddPreparation(this IServiceCollection services)
    {
        services.AddOptions<ImageLimitsOptions>().BindConfiguration(ImageLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ImageCacheOptions>().BindConfiguration(ImageCacheOptions.SectionName)
            .Validate(o => o.TimeToLive > TimeSpan.Zero, "ImageCache:TimeToLive must be positive.")
            .ValidateOnStart();
        services.AddOptions<PricingOptions>().BindConfiguration(PricingOptions.SectionName)
            .Validate(o => o.NegativePrice() is null, "Pricing: a model's prices cannot be negative.")
            .ValidateOnStart();
        services.AddSingleton<ImageEncoder>();
        services.AddHostedService<ImageCodecLog>();
        services.AddSingleton<EncodedImageCache>();
        services.AddSingleton<CachedImageEncoder>();
        services.AddSingleton<TokenCounter>();
        services.AddSingleton<TrainingFileValidator>();
        services.AddSingleton<DatasetPreparer>();
        services.AddWorker<PreparationQueue, PreparationWorker>("preparation-worker", HealthStatus.Degraded);
        return services;
    }
}
