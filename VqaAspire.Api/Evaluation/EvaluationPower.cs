using System.Globalization;
using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Every evaluation's minimum detectable difference, for the headline's two models on the examples both answered:
/// the per-example differences in the dataset's metric give the discordance and, clustered by cover, the design effect.
/// </summary>
internal static class EvaluationPower
{
    /// <summary>The reading for the pair (<paramref name="a"/>, <paramref name="b"/>); null with fewer than two models.</summary>
    public static PowerReading? Of(IReadOnlyList<IReadOnlyList<ScoredAnswer>> byModel, IReadOnlyList<EvaluationModel> models, PairedComparison? headline)
    {
        var a = headline is null ? -1 : models.ToList().FindIndex(m => m.Name == headline.ModelA);
        var b = headline is null ? -1 : models.ToList().FindIndex(m => m.Name == headline.ModelB);
        if (a < 0 || b < 0)
        {
            return null;
        }

        var both = Enumerable.Range(0, byModel[a].Count).Where(i => byModel[a][i].IsAnswered && byModel[b][i].IsAnswered).ToList();
        List<double> differences = [.. both.Select(i => byModel[b][i].MetricScore - byModel[a][i].MetricScore)];
        List<string> clusters = [.. both.Select(i => byModel[a][i].Example.ClusterId)];
        var covers = clusters.Distinct(StringComparer.Ordinal).Count();
        var discordance = PowerAnalysis.Discordance(differences);
        var designEffect = PowerAnalysis.DesignEffect(differences, clusters);
        var mdd = PowerAnalysis.MinimumDetectableDifference(both.Count, discordance, designEffect);
        var perCover = covers == 0 ? 0 : (double)both.Count / covers;
        return new PowerReading(models[a].Name, models[b].Name, both.Count, covers, Math.Round(perCover, 2), Math.Round(discordance, 4),
            Math.Round(designEffect, 3), mdd is { } d ? Math.Round(100 * d, 1) : null, Reading(both.Count, covers, discordance, designEffect, mdd));
    }

    private static string Reading(int examples, int covers, double discordance, double designEffect, double? mdd)
    {
        var basis = $"{examples:N0} paired examples on {covers:N0} covers (discordance {F(discordance, "0.000")}, design effect {F(designEffect, "0.00")})";
        return examples == 0 ? "No example both models answered: nothing to measure the power from."
            : discordance == 0 ? $"The models never disagreed on {basis}: the minimum detectable difference needs some disagreement to be measured."
            : mdd is not { } d ? $"Too few: {basis} detect no difference the models' disagreement allows at 80% power."
            : $"With {basis}, a true difference of {F(100 * d, "0.0")} points or more is found 80% of the time (5% two-sided); a smaller one may go unseen.";
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
