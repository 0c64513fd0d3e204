using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Inference;

/// <summary>
/// A seeded simulation of the verdict rule (<see cref="PairedVerdictRule"/>) on evaluations shaped like OCR-VQA's:
/// 2 to 7 questions per cover, whose difficulty is shared within a cover (a cover effect on the logit, SD 1, plus a
/// question effect, SD 0.5; mean accuracy 50%), and two models that often agree.
/// </summary>
/// <remarks>
/// Replicates, by a binomial argument. No true difference: 1,000 evaluations per size. The assertion is at most 50
/// false winners (5%); the percentile bootstrap alone, at 6.9% (the figure at 10 images), would get 50 or fewer
/// with probability about 1% (mean 69, SD 8.0), so the check tells a rule at its level from the one it replaces. A true
/// 15-point difference on 100 covers: 200 evaluations, at least 160 found (80%); a rule with only 75% power would pass
/// with probability about 6% (mean 150, SD 6.1). Seeded, so every run draws the same evaluations.
/// </remarks>
[Trait("Category", TestCategories.Unit)]
public sealed class VerdictRuleSimulationTests
{
    private const int NullReplicates = 1000;
    private const int PowerReplicates = 200;

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(50)]
    public void WithNoTrueDifferenceAWinnerIsNamedAtMostFivePercentOfTheTime(int covers)
    {
        var random = new Random(1000 + covers);
        var winners = 0;
        var withoutTheCoverMinimum = 0;
        for (var r = 0; r < NullReplicates; r++)
        {
            var (a, b, clusters) = Evaluation(random, covers, trueDifference: false);
            if (PairedVerdictRule.Decide(a, b, clusters).NamesWinner)
            {
                winners++;
            }

            // Below 20 covers the rule never names a winner; the interval and the test alone hold their level too.
            if (covers < PairedVerdictRule.CoversNeeded && PairedVerdictRule.Decide(a, b, clusters, coversNeeded: 0).NamesWinner)
            {
                withoutTheCoverMinimum++;
            }
        }

        Assert.True(winners <= NullReplicates * 0.05, $"{winners} false winners in {NullReplicates} at {covers} covers");
        Assert.True(withoutTheCoverMinimum <= NullReplicates * 0.05, $"{withoutTheCoverMinimum} false winners without the cover minimum at {covers} covers");
        if (covers < PairedVerdictRule.CoversNeeded)
        {
            Assert.Equal(0, winners);
        }
    }

    [Fact]
    public void ATrueFifteenPointDifferenceOnAHundredCoversIsFoundAtLeastEightyPercentOfTheTime()
    {
        var random = new Random(2026);
        var found = 0;
        var wrongWay = 0;
        for (var r = 0; r < PowerReplicates; r++)
        {
            var (a, b, clusters) = Evaluation(random, 100, trueDifference: true);
            var decision = PairedVerdictRule.Decide(a, b, clusters);
            found += decision.Kind == PairedDecisionKind.BBetter ? 1 : 0;
            wrongWay += decision.Kind == PairedDecisionKind.ABetter ? 1 : 0;
        }

        Assert.True(found >= PowerReplicates * 0.8, $"found {found} of {PowerReplicates}");
        Assert.Equal(0, wrongWay);
    }

    /// <summary>
    /// One evaluation: each question's chance p from its cover's and its own effect. Model A is right with chance p.
    /// No difference: B copies A's outcome 60% of the time, else draws its own with chance p (the two are exchangeable).
    /// A true difference: B breaks 10% of A's right answers and fixes 40% of its wrong ones, so B - A is
    /// 0.4 (1 - 0.5) - 0.1 (0.5) = 15 points on average.
    /// </summary>
    internal static (double[] A, double[] B, string[] Clusters) Evaluation(Random random, int covers, bool trueDifference)
    {
        List<double> a = [], b = [];
        List<string> clusters = [];
        for (var c = 0; c < covers; c++)
        {
            var coverEffect = Normal(random);
            var questions = random.Next(2, 8);
            for (var q = 0; q < questions; q++)
            {
                var p = 1 / (1 + Math.Exp(-(coverEffect + 0.5 * Normal(random))));
                var aRight = random.NextDouble() < p;
                var bRight = trueDifference
                    ? aRight ? random.NextDouble() >= 0.1 : random.NextDouble() < 0.4
                    : random.NextDouble() < 0.6 ? aRight : random.NextDouble() < p;
                a.Add(aRight ? 1 : 0);
                b.Add(bRight ? 1 : 0);
                clusters.Add($"cover{c}");
            }
        }

        return ([.. a], [.. b], [.. clusters]);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
