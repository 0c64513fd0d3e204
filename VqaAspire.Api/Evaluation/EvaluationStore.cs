using StackExchange.Redis;
using VqaAspire.Api.Storage;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Evaluations' state in Redis under <c>vqa:eval:{id}</c> (never evicted), listed newest first per run
/// (<c>vqa:run:{runId}:evals</c>) and overall (<c>vqa:evals</c>); a save announces the evaluation's run.
/// </summary>
public sealed class EvaluationStore(IConnectionMultiplexer redis)
{
    private static string RunKey(string runId) => $"vqa:run:{runId}:evals";
    private const string AllKey = "vqa:evals";

    private readonly RedisJsonStore<EvaluationView> _store = new(redis, id => $"vqa:eval:{id}", evaluation => evaluation.Id,
        [
            new StoreIndex<EvaluationView>(e => RunKey(e.RunId), e => e.CreatedAt.ToUnixTimeMilliseconds()),
            new StoreIndex<EvaluationView>(_ => AllKey, e => e.CreatedAt.ToUnixTimeMilliseconds()),
        ],
        changedRun: evaluation => evaluation.RunId);

    /// <summary>Saves the evaluation with its two indexes in one transaction.</summary>
    public Task SaveAsync(EvaluationView evaluation) => _store.SaveAsync(evaluation);

    public Task<EvaluationView?> GetAsync(string id) => _store.GetAsync(id);

    public async Task<EvaluationView> UpdateAsync(string id, Func<EvaluationView, EvaluationView> change) =>
        await _store.UpdateAsync(id, change) ?? throw new InvalidOperationException($"Evaluation {id} does not exist.");

    public Task<IReadOnlyList<EvaluationView>> ListAsync(string? runId = null, int limit = 100) =>
        _store.ListNewestFirstAsync(runId is null ? AllKey : RunKey(runId), 0, limit);
}
