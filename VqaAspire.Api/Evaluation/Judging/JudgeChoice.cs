using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation.Judging;

/// <summary>Which judge an evaluation asks (<c>judge</c> wins over <c>judgeModel</c>), and what is wrong with the choice.</summary>
public static class JudgeChoice
{
    public static EvaluationJudge Of(EvaluationRequest request) =>
        request.Judge ?? new EvaluationJudge(request.JudgeModel);

    /// <summary>Warnings about the judge for the summary: a model under test that also grades its own answers. Null when none.</summary>
    public static IReadOnlyList<string>? Warnings(EvaluationView evaluation)
    {
        var judge = Of(evaluation.Settings);
        var warnings = evaluation.Models
            .Where(m => m.Model == judge.Model && SameEndpoint(m.Endpoint, judge.Endpoint))
            .Select(m => $"The judge ({judge.Model}) is also under test as '{m.Name}': it grades its own answers, which can favour them. Choose another judge for a fair comparison.")
            .ToList();
        return warnings.Count == 0 ? null : warnings;
    }

    /// <summary>Both on the run's provider, or the same URL (ignoring case and a trailing slash).</summary>
    private static bool SameEndpoint(string? a, string? b) =>
        string.Equals(a?.Trim().TrimEnd('/') ?? "", b?.Trim().TrimEnd('/') ?? "", StringComparison.OrdinalIgnoreCase);
}
