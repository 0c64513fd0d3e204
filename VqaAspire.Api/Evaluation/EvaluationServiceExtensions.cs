using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Workers;
using VqaAspire.Api.Evaluation.Judging;

namespace VqaAspire.Api.Evaluation;

public static class EvaluationServiceExtensions
{
    /// <summary>Registers evaluation: the runner, the judge with its verdict cache, and the background worker.</summary>
    public static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        services.AddOptions<EvaluationOptions>().BindConfiguration(EvaluationOptions.SectionName)
            .Validate(o => o.BatchPollInterval > TimeSpan.Zero, "Evaluation:BatchPollInterval must be positive.")
            .Validate(o => o.MaxConcurrentEvaluations is >= 1 and <= 64, "Evaluation:MaxConcurrentEvaluations must be between 1 and 64.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Evaluation:RequestTimeout must be positive.")
            .Validate(o => o.TimeLimit > TimeSpan.Zero, "Evaluation:TimeLimit must be positive.")
            .ValidateOnStart();
        services.AddSingleton<EvaluationStore>();
        services.AddSingleton<JudgePrompts>();
        services.AddSingleton<JudgeService>();
        services.AddSingleton<SyncAnswerer>();
        services.AddSingleton<BatchAnswerer>();
        // Answers and verdicts each end within Evaluation:RequestTimeout: a hanging endpoint cannot hold an evaluation.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EvaluationScorer>(sp, TimeLimited(sp)));
        services.AddSingleton<DatasetPresetLookup>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EvaluationRunner>(sp, TimeLimited(sp)));
        services.AddSingleton<IEvaluationRunner>(sp => sp.GetRequiredService<EvaluationRunner>());
        services.AddWorker<EvaluationQueue, EvaluationWorker>("evaluation-worker", HealthStatus.Degraded);
        services.AddSingleton<EvaluationStarter>();
        return services;
    }

    private static TimeLimitedProvider TimeLimited(IServiceProvider services) =>
        new(services.GetRequiredService<IModelProvider>(), services.GetRequiredService<IOptions<EvaluationOptions>>().Value.RequestTimeout);
}
