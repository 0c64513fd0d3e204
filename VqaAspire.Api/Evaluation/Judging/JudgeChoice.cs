using VqaAspire.Api.Evaluation.Provenance;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation.Judging;

/// <summary>Which judge an evaluation asks (<c>judge</c> wins over <c>judgeModel</c>), and what is wrong with the choice.</summary>
public static class JudgeChoice
{
    public static EvaluationJudge Of(EvaluationRequest request) =>
        request.Judge ?? new EvaluationJudge(request.JudgeModel);

    /// <summary>
    /// Warnings about the judge for the summary: a judge of the same family as a model under test (a snapshot, its alias
    /// and its fine-tunes are one family) grades answers of its own kind, which can favour them. Names on one server mean
    /// one thing, so the judge's id is compared with the models asked on its endpoint; the snapshots the judge reported
    /// are compared with every model. Null when none.
    /// </summary>
    /// <param name="judgeSnapshots">The snapshots the judge reported with its verdicts (gpt-4o-2024-08-06 for the alias gpt-4o).</param>
    /// <param name="judgeNamed">The judge as the warning names it: who actually judged, its endpoint included ("llama3 at localhost:11434/v1"); its model id when null.</param>
    public static IReadOnlyList<string>? Warnings(EvaluationView evaluation, IReadOnlyList<string>? judgeSnapshots = null, string? judgeNamed = null)
    {
        var judge = Of(evaluation.Settings);
        var snapshots = judgeSnapshots ?? [];
        var kin = evaluation.Models
            .Where(m => (SameEndpoint(m.Endpoint, judge.Endpoint) && ModelFamily.Same(m.Model, judge.Model)) || snapshots.Any(s => ModelFamily.Same(m.Model, s)))
            .Select(m => $"'{m.Name}' ({m.Model})")
            .ToList();
        return kin.Count == 0 ? null :
        [
            $"The judge ({judgeNamed ?? judge.Model}{(snapshots.Count == 0 ? "" : $", answering as {string.Join(", ", snapshots)}")}) is of the {ModelFamily.Of(snapshots.FirstOrDefault() ?? judge.Model)} family, like {string.Join(" and ", kin)}: it grades its own family's answers, "
            + "which can favour them. Choose a judge of another family for a fair comparison.",
        ];
    }

    /// <summary>Both on the run's provider, or the same URL (ignoring case and a trailing slash).</summary>
    private static bool SameEndpoint(string? a, string? b) =>
        string.Equals(a?.Trim().TrimEnd('/') ?? "", b?.Trim().TrimEnd('/') ?? "", StringComparison.OrdinalIgnoreCase);
}
