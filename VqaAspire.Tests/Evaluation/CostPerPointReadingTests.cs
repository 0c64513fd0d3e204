using VqaAspire.Api.Evaluation;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

/// <summary>Training plus evaluation cost per point gained, with its interval, worked by hand.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class CostPerPointReadingTests
{
    [Fact]
    public void TheCostPerPointIsTheTotalOverThePointsAndItsIntervalComesFromTheGains()
    {
        // $16.07 training + $0.27 + $0.30 answers = $16.64. Over +4 points: $4.16; over the gain's bounds 8 and 1: $2.08 to $16.64.
        var cost = CostPerPointReading.Of(Summary(4.0, 1.0, 8.0), FineTune(hosting: 1.70m))!;

        Assert.Equal((16.07m, 0.57m, 16.64m), (cost.TrainingUsd, cost.EvaluationUsd, cost.TotalUsd));
        Assert.Equal((4.16m, 2.08m, 16.64m), (cost.UsdPerPoint, cost.UsdPerPointLow, cost.UsdPerPointHigh));
        Assert.Equal("$4.16 per point of Exact match ($16.64: training $16.07, evaluation $0.57; 95% CI $2.08 to $16.64). "
            + "Hosting the deployment costs $1.70 per hour while it exists.", cost.Reading);
    }

    [Fact]
    public void AGainWhoseIntervalReachesZeroHasNoUpperLimit()
    {
        var cost = CostPerPointReading.Of(Summary(4.0, -1.0, 9.0), FineTune())!;

        Assert.Null(cost.UsdPerPointHigh);
        Assert.Equal(1.85m, cost.UsdPerPointLow); // 16.64 / 9 = 1.849.
        Assert.Contains("95% CI $1.85 to no upper limit, the gain's interval reaches 0", cost.Reading);
    }

    [Fact]
    public void NoGainBuysNoPointAndAnUnpricedModelLeavesTheCostUnknown()
    {
        Assert.StartsWith("No point gained on Exact match", CostPerPointReading.Of(Summary(-2.0, -6.0, 1.0), FineTune())!.Reading);
        var unpriced = Summary(4.0, 1.0, 8.0);
        unpriced = unpriced with { Models = [unpriced.Models[0] with { CostUsd = null }, unpriced.Models[1]] };
        var cost = CostPerPointReading.Of(unpriced, FineTune())!;
        Assert.Null(cost.UsdPerPoint);
        Assert.StartsWith("Cost per point unknown: the evaluation's cost is not known", cost.Reading);
        Assert.Null(CostPerPointReading.Of(Summary(4.0, 1.0, 8.0), null));
    }

    private static EvaluationSummary Summary(double points, double lower, double upper)
    {
        var scores = WebTestDataScores();
        return new EvaluationSummary([scores with { Name = "base", CostUsd = 0.27m }, scores with { Name = "fine-tuned", CostUsd = 0.30m }], [], "Exact match",
            Headline: new PairedComparison("base", "fine-tuned", "Exact match", "all", 398, 100, points, lower, upper, "reading"));
    }

    private static ModelScores WebTestDataScores() =>
        new("m", "m", 398, 0, new KindScores("all", 398, null, null, null, null, null, null), [], new Dictionary<string, int>(), 0, 0, null);

    private static FineTuneView FineTune(decimal? hosting = null) =>
        new("job-1", "gpt-4o-2024-08-06", "succeeded", "ft:gpt-4o:x", [], null, 642_800, 16.07m, null, null, null, [], false, null, new FineTuneRequest(),
            HostingUsdPerHour: hosting);
}
