using Microsoft.Extensions.Diagnostics.HealthChecks;
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
            .ValidateOnStart();
        services.AddSingleton<EvaluationStore>();
        services.AddSingleton<JudgePrompts>();
        services.AddSingleton<JudgeService>();
        services.AddSingleton<SyncAnswerer>();
        services.AddSingleton<BatchAnswerer>();
        services.AddSingleton<EvaluationScorer>();
        services.AddSingleton<DatasetPresetLookup>();
        services.AddSingleton<EvaluationRunner>();
        services.AddWorker<EvaluationQueue, EvaluationWorker>("evaluation-worker", HealthStatus.Degraded);
        return services;
    }
}
