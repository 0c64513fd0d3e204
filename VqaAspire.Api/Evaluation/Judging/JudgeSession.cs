using VqaAspire.Api.Providers;

namespace VqaAspire.Api.Evaluation.Judging;

/// <summary>
/// The judge one evaluation asks: its provider (the run's or another endpoint), its model and its prompt, and the one
/// snapshot its verdicts come from. An alias (gpt-4o) moves to new snapshots, and the cache cannot tell from its own
/// entries that it has: so the first verdict of every evaluation is asked of the judge, whatever the cache holds, and
/// its answer names the snapshot now behind the model; from then on only cached verdicts of that snapshot are reused,
/// on hits as on misses, so snapshots never mix in one evaluation through the cache.
/// </summary>
public sealed class JudgeSession(JudgeService judge, IModelProvider provider, string model, JudgePrompt prompt) : IDisposable
{
    private readonly SemaphoreSlim _pinning = new(1, 1);
    private volatile bool _pinned;
    private string? _snapshot;

    public string Model => model;

    public JudgePrompt Prompt => prompt;

    /// <summary>The snapshot this evaluation's verdicts come from, once the judge has answered; null before, or when it never says.</summary>
    public string? Snapshot => _snapshot;

    public async Task<JudgeVerdict?> RateAsync(string question, string truth, string prediction, CancellationToken cancellationToken)
    {
        if (!_pinned)
        {
            await _pinning.WaitAsync(cancellationToken);
            try
            {
                if (!_pinned)
                {
                    // A failed call leaves it unpinned: the next verdict asks again.
                    var (verdict, snapshot) = await judge.AskAsync(provider, model, prompt, question, truth, prediction, cancellationToken);
                    _snapshot = snapshot;
                    _pinned = true;
                    return verdict;
                }
            }
            finally
            {
                _pinning.Release();
            }
        }

        return await judge.RateAsync(provider, model, prompt, question, truth, prediction, _snapshot, cancellationToken);
    }

    public void Dispose() => _pinning.Dispose();
}
