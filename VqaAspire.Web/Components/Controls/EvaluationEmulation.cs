using VqaAspire.Contracts;

namespace VqaAspire.Web.Components.Controls;

/// <summary>
/// Which parts of an evaluation the OpenAI emulator stood in for, as the api recorded who actually answered (per model)
/// and who actually judged. Without per-model flags (still running, or scored before models carried them) the
/// evaluation's own flag counts for every model.
/// </summary>
public static class EvaluationEmulation
{
    /// <summary>True when the emulator answered for the model.</summary>
    public static bool ModelEmulated(EvaluationView evaluation, string model) => evaluation.Summary is { } summary && summary.Models.Any(m => m.Emulated)
        ? summary.Models.Any(m => m.Name == model && m.Emulated)
        : evaluation.Emulated || evaluation.Summary?.Emulated == true;

    /// <summary>True when a comparison of the two models is the emulator's, not the models'.</summary>
    public static bool PairEmulated(EvaluationView evaluation, string modelA, string modelB) =>
        ModelEmulated(evaluation, modelA) || ModelEmulated(evaluation, modelB);

    /// <summary>True when the emulator's string similarity graded the open-ended answers (as the api recorded who judged).</summary>
    public static bool JudgeEmulated(EvaluationView evaluation) =>
        evaluation.Summary?.JudgedBy?.Emulated ?? (evaluation.Emulated && evaluation.Summary?.JudgedBy is null);

    /// <summary>What the emulator stood in for, in words; null when it answered and judged nothing.</summary>
    public static string? Note(EvaluationView evaluation)
    {
        var emulated = evaluation.Models.Where(m => ModelEmulated(evaluation, m.Name)).Select(m => $"'{m.Name}'").ToList();
        var judge = JudgeEmulated(evaluation);
        var all = emulated.Count == evaluation.Models.Count && emulated.Count > 0;
        return (all, emulated.Count > 0, judge) switch
        {
            (true, _, true) => "The answers, the judge's grades and every number on this page come from the OpenAI emulator.",
            (true, _, false) => "The answers come from the OpenAI emulator; a real judge graded them.",
            (false, true, _) => $"The OpenAI emulator answered for {string.Join(" and ", emulated)}: a comparison with it exercises the pipeline, not a model."
                + (judge ? " Its string similarity judged." : ""),
            (false, false, true) => "The models answered, but the emulator's string similarity graded the open-ended answers.",
            _ => null,
        };
    }
}
