using VqaAspire.Api.Evaluation.Judging;

namespace VqaAspire.Api.Evaluation;

public static class EvaluationServiceExtensions
{
    /// <summary>Registers evaluation: the runner, the judge with its verdict cache, and the background worker.</summary>
    public static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        services.AddOptions<EvaluationOptions>().BindConfiguration(EvaluationOptions.SectionName);
        services.AddSingleton<EvaluationStore>();
        services.AddSingleton<JudgePrompts>();
        services.AddSingleton<JudgeService>();
        services.AddSingleton<SyncAnswerer>();
        services.AddSingleton<BatchAnswerer>();
        services.AddSingleton<EvaluationScorer>();
        services.AddSingleton<EvaluationRunner>();
        services.AddSingleton<EvaluationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<EvaluationWorker>());
        return services;
    }
}
