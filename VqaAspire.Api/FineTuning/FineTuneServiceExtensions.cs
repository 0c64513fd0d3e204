namespace VqaAspire.Api.FineTuning;

public static class FineTuneServiceExtensions
{
    /// <summary>Registers fine-tuning: the service that advances a run's fine-tune and the monitor that follows them.</summary>
    public static IServiceCollection AddFineTuning(this IServiceCollection services)
    {
        services.AddOptions<FineTuneMonitorOptions>().BindConfiguration(FineTuneMonitorOptions.SectionName);
        services.AddSingleton<FineTuneStore>();
        services.AddSingleton<FineTuneViews>();
        services.AddSingleton<AzureFineTuneSteps>();
        services.AddSingleton<AzureFineTuneActions>();
        services.AddSingleton<FineTuneService>();
        services.AddSingleton<FineTuneMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<FineTuneMonitor>());
        services.AddHealthChecks().AddCheck<FineTuneMonitor>("fine-tune-monitor");
        return services;
    }
}
