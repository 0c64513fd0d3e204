namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// The Holm-Bonferroni adjustment across the tests of one evaluation: with m tests, the i-th smallest p-value is
/// multiplied by m - i + 1, then each is raised to at least the one before it and capped at 1. Comparing the
/// adjusted p-values with 0.05 keeps the chance of any false "significant" at 5%.
/// </summary>
public static class HolmCorrection
{
    /// <summary>The adjusted p-values, in the order given.</summary>
    public static IReadOnlyList<double> Adjust(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var runningMax = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            runningMax = Math.Max(runningMax, Math.Min(1, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = runningMax;
        }

        return adjusted;
    }

    /// <summary>
    /// The tests with <see cref="McNemarResult.AdjustedPValue"/> set, in the order given. Tests without paired
    /// examples are not tests: they stay unadjusted and do not count in m.
    /// </summary>
    public static IReadOnlyList<McNemarResult> AdjustTests(IReadOnlyList<McNemarResult> tests)
    {
        var tested = Enumerable.Range(0, tests.Count).Where(i => tests[i].PValue is not null).ToList();
        var adjusted = Adjust([.. tested.Select(i => tests[i].PValue!.Value)]);
        var results = tests.ToArray();
        for (var j = 0; j < tested.Count; j++)
        {
            results[tested[j]] = results[tested[j]] with { AdjustedPValue = adjusted[j] };
        }

        return results;
    }
}
