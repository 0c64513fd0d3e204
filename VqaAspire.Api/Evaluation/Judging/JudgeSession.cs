using VqaAspire.Api.Providers;

namespace VqaAspire.Api.Evaluation.Judging;

/// <summary>The judge one evaluation asks: its provider (the run's or another endpoint), its model and its prompt.</summary>
public sealed class JudgeSession(JudgeService judge, IModelProvider provider, string model, JudgePrompt prompt)
{
    public string Model => model;

    public JudgePrompt Prompt => prompt;

    public Task<JudgeVerdict?> RateAsync(string question, string truth, string prediction, CancellationToken cancellationToken) =>
        judge.RateAsync(provider, model, prompt, question, truth, prediction, cancellationToken);
}
