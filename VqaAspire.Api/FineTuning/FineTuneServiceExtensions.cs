using Microsoft.Extensions.Diagnostics.HealthChecks;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.FineTuning;

public static class FineTuneServiceExtensions
{
    /// <summary>Registers fine-tuning: the service that advances a run's fine-tune and the monitor that follows them.</summary>
    public static IServiceCollection AddFineTuning(this IServiceCollection services)
    {
        services.AddOptions<FineTuneMonitorOptions>().BindConfiguration(FineTuneMonitorOptions.SectionName)
            .Validate(o => o.PollInterval > TimeSpan.Zero, "FineTuning:PollInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<FineTuneStore>();
        services.AddSingleton<FineTuneViews>();
        services.AddSingleton<FineTuneProviders>();
        services.AddSingleton<AzureFineTuneSteps>();
        services.AddSingleton<Providers.Azure.IAzureDeploymentCheck>(sp => sp.GetRequiredService<AzureFineTuneSteps>());
        services.AddSingleton<AzureFineTuneActions>();
        services.AddSingleton<FineTuneService>();
        services.AddWorker<FineTuneMonitor>("fine-tune-monitor", HealthStatus.Degraded);
        return services;
    }
}
