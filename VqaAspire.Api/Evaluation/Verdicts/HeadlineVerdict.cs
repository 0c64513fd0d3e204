using System.Globalization;
using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Api.Evaluation.Provenance;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation.Verdicts;

/// <summary>
/// The verdict on the headline pair. Infrastructure failures never read as model quality: an unanswered question (404,
/// 500, a timeout) is no answer, so the difference is on the examples both answered, and no winner is named when a model
/// left more than <see cref="UnansweredLimit"/> of its questions unanswered or when counting them as wrong would not
/// name the same winner. Otherwise <see cref="PairedVerdictRule"/> decides.
/// </summary>
internal static class HeadlineVerdict
{
    /// <summary>
    /// 2%: ten questions of the reference 485. Beyond it the failures are the deployment's (a 404 for a model not yet
    /// deployed, a 500 storm), and which questions failed could decide the comparison.
    /// </summary>
    public const double UnansweredLimit = 0.02;

    /// <param name="earlyStop">With <c>earlyStop</c>: its group-sequential test, which alone keeps its level over the looks made, decides in place of the fixed-sample rule.</param>
    /// <param name="holmPairs">The pairs whose overall p-values were Holm-adjusted together (three or more models); the headline's adjusted p then decides.</param>
    public static EvaluationVerdict? Of(IReadOnlyList<IReadOnlyList<ScoredAnswer>> byModel, IReadOnlyList<EvaluationModel> models, PairedComparison? headline,
        EvaluationProvenance provenance, int holmPairs = 0, EarlyStop? earlyStop = null)
    {
        if (headline is null)
        {
            return null;
        }

        var a = models.ToList().FindIndex(m => m.Name == headline.ModelA);
        var b = models.ToList().FindIndex(m => m.Name == headline.ModelB);
        var total = byModel[a].Count;
        List<ModelCoverage> coverage = [new(headline.ModelA, byModel[a].Count(s => s.IsAnswered), total), new(headline.ModelB, byModel[b].Count(s => s.IsAnswered), total)];

        var both = Enumerable.Range(0, total).Where(i => byModel[a][i].IsAnswered && byModel[b][i].IsAnswered).ToList();
        // Three or more models compare several pairs at once: the headline's pair decides on its Holm-adjusted p, like its row.
        var holm = headline.AdjustedPValue is { } adjusted ? new Holm(adjusted, holmPairs) : null;
        var paired = PairedVerdictRule.Decide([.. both.Select(i => byModel[a][i].MetricScore)], [.. both.Select(i => byModel[b][i].MetricScore)],
            [.. both.Select(i => byModel[a][i].Example.ClusterId)], adjustedPValue: holm?.PValue);

        // Every example, an unanswered one scoring 0 for the model that left it: the reading a failed deployment would skew.
        var anyUnanswered = coverage.Any(c => c.Answered < c.Total);
        var all = Enumerable.Range(0, total).ToList();
        var asWrong = anyUnanswered
            ? PairedVerdictRule.Decide([.. all.Select(i => byModel[a][i].MetricScore)], [.. all.Select(i => byModel[b][i].MetricScore)],
                [.. all.Select(i => byModel[a][i].Example.ClusterId)])
            : null;
        var asWrongComparison = anyUnanswered ? PairedComparisons.Compare(byModel, models, headline.Measure, "all", a, b, all) : null;

        var (outcome, winner, reading) = Decide(headline, Sequential(paired, earlyStop), asWrong, coverage, provenance, holm, earlyStop);
        return new EvaluationVerdict(headline.ModelA, headline.ModelB, outcome, winner, coverage, UnansweredLimit, asWrongComparison,
            paired.Difference.Clusters, PairedVerdictRule.CoversNeeded, paired.Test is { } t ? Math.Round(t.PValue, 4) : null, paired.Test?.Method, reading,
            holm is null ? null : Math.Round(holm.PValue, 4), holm?.Pairs);
    }

    /// <summary>With an early stop, its test names the winner: the fixed-sample rule would not keep its level over several looks.</summary>
    private static PairedDecision Sequential(PairedDecision paired, EarlyStop? earlyStop) =>
        earlyStop is null || paired.Kind is PairedDecisionKind.NoPairs or PairedDecisionKind.TooFewCovers ? paired
        : paired with
        {
            Kind = earlyStop.Crossed is { } crossed ? crossed.Result.MeanPerCover > 0 ? PairedDecisionKind.BBetter : PairedDecisionKind.ABetter : PairedDecisionKind.NoClearDifference,
        };

    /// <summary>The headline pair's sign-flip p Holm-adjusted across <paramref name="Pairs"/> pairs.</summary>
    private sealed record Holm(double PValue, int Pairs);

    private static (string Outcome, string? Winner, string Reading) Decide(PairedComparison headline, PairedDecision paired, PairedDecision? asWrong,
        IReadOnlyList<ModelCoverage> coverage, EvaluationProvenance provenance, Holm? holm, EarlyStop? earlyStop)
    {
        var emulated = new[] { headline.ModelA, headline.ModelB }.Where(provenance.IsEmulated).ToList();
        if (emulated.Count > 0)
        {
            return (VerdictOutcomes.Emulated, null,
                $"No winner named: the OpenAI emulator answered for {Names(emulated)}, so the comparison exercises the pipeline, not a model.");
        }

        // Counted, not divided: 2 of 100 is at the limit, not a rounding error over it.
        var failing = coverage.Where(c => c.Total - c.Answered > UnansweredLimit * c.Total + 1e-9).ToList();
        if (failing.Count > 0)
        {
            var which = string.Join("; ", failing.Select(c => $"'{c.Name}' left {c.Total - c.Answered} of {c.Total} unanswered ({Percent(1 - c.Share)})"));
            return (VerdictOutcomes.TooManyUnanswered, null,
                $"No winner named: {which}, more than the {Percent(UnansweredLimit)} allowed. Unanswered questions are failures of the deployment "
                + "(404, 500, timeouts), not of the model, and the ones that failed could decide the comparison. Retry the unanswered (the evaluation page's button, or POST /api/evaluations/{id}/retry) to ask only them.");
        }

        var signFlip = paired.Test is not { } test ? ""
            : holm is null ? $"the sign-flip test by image gives p = {P(test.PValue)}"
            : $"the sign-flip test by image, Holm-adjusted across the {holm.Pairs} pairs of models, gives p = {P(holm.PValue)} (unadjusted {P(test.PValue)})";
        switch (paired.Kind)
        {
            case PairedDecisionKind.NoPairs:
                return (VerdictOutcomes.NoPairedExamples, null, "No winner named: the two models share no answered question.");
            case PairedDecisionKind.TooFewCovers:
                var covers = paired.Difference.Clusters;
                return (VerdictOutcomes.TooFewCovers, null,
                    $"Too few covers to tell ({covers} {(covers == 1 ? "cover" : "covers")}; {PairedVerdictRule.CoversNeeded} needed): questions about one cover are not independent, so a winner needs more covers.");
            case PairedDecisionKind.NoClearDifference when earlyStop is not null:
                return (VerdictOutcomes.NoClearDifference, null,
                    $"No clear difference: the group-sequential test crossed no boundary in {earlyStop.Looks.Count} looks over {earlyStop.CoversAsked} covers.");
            case PairedDecisionKind.NoClearDifference:
                return (VerdictOutcomes.NoClearDifference, null, paired.Difference.ExcludesZero
                    ? $"No clear difference: the interval leaves out 0 but the sign-flip test by image does not agree ({signFlip}, not below 0.05)."
                    : $"No clear difference: the interval includes 0 ({signFlip}).");
        }

        var winner = paired.Kind == PairedDecisionKind.BBetter ? headline.ModelB : headline.ModelA;
        if (asWrong is not null && asWrong.Kind != paired.Kind)
        {
            return (VerdictOutcomes.ReadingsDisagree, null,
                $"No winner named: on the examples both answered {winner} is better, but counting unanswered questions as wrong gives "
                + $"{asWrong.Difference.Describe()}, which does not name {winner}: the unanswered questions could decide it.");
        }

        if (earlyStop?.Crossed is { } look)
        {
            return (VerdictOutcomes.Better, winner,
                $"{winner} is better: the group-sequential test crossed its boundary at {look.Look.Covers} of {earlyStop.CoverOrder.Count} covers "
                + $"(t = {look.Look.Statistic?.ToString("0.00", CultureInfo.InvariantCulture) ?? "undefined"}, p = {P(look.Look.NominalPValue ?? 0)} below the look's nominal level {look.Look.NominalAlpha.ToString("0.#####", CultureInfo.InvariantCulture)}), so the evaluation stopped there.");
        }

        return (VerdictOutcomes.Better, winner,
            $"{winner} is better: the interval leaves out 0 and the sign-flip test by image agrees ({signFlip}; {paired.Difference.Clusters} covers).");
    }

    private static string Names(IEnumerable<string> names) => string.Join(" and ", names.Select(n => $"'{n}'"));

    private static string Percent(double share) => (100 * share).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);
}
