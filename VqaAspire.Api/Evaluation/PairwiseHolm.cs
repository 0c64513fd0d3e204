using System.Globalization;
using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// With three or more models the evaluation compares several pairs at once, and one of them would look significant by
/// chance more often than 5%: the overall row of each pair gets its clustered sign-flip p-value Holm-adjusted across the
/// pairs, and its reading says so. Per-kind rows stay exploratory and unadjusted; with two models there is one pair and
/// nothing to adjust.
/// </summary>
public static class PairwiseHolm
{
    /// <summary>The rows with the overall ones adjusted when there are at least two pairs; the rest unchanged.</summary>
    public static IReadOnlyList<PairedComparison> Adjust(IReadOnlyList<PairedComparison> rows)
    {
        var tested = Enumerable.Range(0, rows.Count).Where(i => rows[i].Kind == "all" && rows[i].PValue is not null).ToList();
        if (tested.Count < 2)
        {
            return rows;
        }

        var adjusted = HolmCorrection.Adjust([.. tested.Select(i => rows[i].PValue!.Value)]);
        var result = rows.ToArray();
        for (var j = 0; j < tested.Count; j++)
        {
            var row = rows[tested[j]];
            result[tested[j]] = row with
            {
                AdjustedPValue = adjusted[j],
                Reading = $"{row.Reading}; Holm-adjusted across {tested.Count} pairs p {P(adjusted[j])}",
            };
        }

        return result;
    }

    private static string P(double p) => p < 0.001 ? "< 0.001" : "= " + p.ToString("0.###", CultureInfo.InvariantCulture);
}
