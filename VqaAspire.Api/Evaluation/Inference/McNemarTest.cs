namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// McNemar's exact test: under no difference, each discordant pair (one model right, the other wrong) is a fair
/// coin, so the p-value is the two-sided binomial tail of the smaller discordant count.
/// </summary>
public static class McNemarTest
{
    /// <summary>The test on aligned outcomes of the same examples; "no paired examples" when there are none.</summary>
    public static McNemarResult Exact(string measure, IReadOnlyList<bool> first, IReadOnlyList<bool> second)
    {
        if (first.Count != second.Count)
        {
            throw new ArgumentException("McNemar's test needs the same examples for both models.", nameof(second));
        }

        if (first.Count == 0)
        {
            return new McNemarResult(measure, 0, 0, 0, null);
        }

        int onlyFirst = 0, onlySecond = 0;
        for (var i = 0; i < first.Count; i++)
        {
            onlyFirst += first[i] && !second[i] ? 1 : 0;
            onlySecond += !first[i] && second[i] ? 1 : 0;
        }

        return new McNemarResult(measure, first.Count, onlyFirst, onlySecond, ExactPValue(onlyFirst, onlySecond));
    }

    /// <summary>
    /// The clustered test on aligned outcomes: the same discordant counts, its p-value from flipping the sign of each
    /// image's discordance (<see cref="ClusterSignFlipTest"/>), so questions of one cover are not taken as independent,
    /// as the intervals do not take them. With one question per image it equals <see cref="Exact(string, IReadOnlyList{bool}, IReadOnlyList{bool})"/>.
    /// </summary>
    /// <param name="clusterIds">Each example's image, aligned with the outcomes.</param>
    public static McNemarResult Clustered(string measure, IReadOnlyList<bool> first, IReadOnlyList<bool> second, IReadOnlyList<string> clusterIds)
    {
        var exact = Exact(measure, first, second);
        if (!exact.HasPairs)
        {
            return exact;
        }

        var p = ClusterSignFlipTest.PValue([.. first.Select(Score)], [.. second.Select(Score)], clusterIds);
        return exact with { PValue = p, Clusters = clusterIds.Distinct(StringComparer.Ordinal).Count() };

        static double Score(bool right) => right ? 1 : 0;
    }

    /// <summary>2 P(X &lt;= min(b, c)) for X ~ Binomial(b + c, 1/2), capped at 1; 1 when there are no discordant pairs.</summary>
    public static double ExactPValue(int onlyFirst, int onlySecond)
    {
        var n = onlyFirst + onlySecond;
        var k = Math.Min(onlyFirst, onlySecond);
        // Summed in logs so that large n neither overflows the binomial coefficient nor underflows 2^-n.
        var tail = 0.0;
        for (var i = 0; i <= k; i++)
        {
            tail += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
        }

        return Math.Min(1.0, 2 * tail);
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        var sum = 0.0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
