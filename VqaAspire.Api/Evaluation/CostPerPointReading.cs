using System.Globalization;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Cost per point gained: (training + evaluation) / the headline's points, with its interval from the headline's: the
/// cost per point falls as the gain grows, so the gain's upper bound gives the low end and its lower bound the high end
/// (unbounded when that lower bound is not above 0). On Azure the deployment's hourly hosting is shown beside it.
/// </summary>
public static class CostPerPointReading
{
    /// <summary>The reading for an evaluation of a run's fine-tune; null without a fine-tune or a headline.</summary>
    public static CostPerPoint? Of(EvaluationSummary summary, FineTuneView? fineTune)
    {
        if (fineTune is null || summary.Headline is not { } headline)
        {
            return null;
        }

        var training = fineTune.EstimatedCostUsd;
        var evaluation = summary.Models.All(m => m.CostUsd is not null) ? summary.Models.Sum(m => m.CostUsd!.Value) : (decimal?)null;
        var total = training + evaluation;
        var metric = summary.Metric ?? headline.Measure;
        decimal? Per(double? points) => total is { } t && points is > 0 ? Math.Round(t / (decimal)points.Value, 2) : null;

        var perPoint = Per(headline.Points);
        var low = Per(headline.Upper);
        var high = Per(headline.Lower);
        var hosting = fineTune.HostingUsdPerHour;
        var hostingText = hosting is { } h ? $" Hosting the deployment costs {Usd(h)} per hour while it exists." : "";
        var reading = total is null
            ? $"Cost per point unknown: {(training is null ? "the training cost" : "the evaluation's cost")} is not known (no price for the model).{hostingText}"
            : headline.Points is not > 0 ? $"No point gained on {metric} ({headline.Reading}): {Usd(total.Value)} spent (training {Usd(training!.Value)}, evaluation {Usd(evaluation!.Value)}) bought none.{hostingText}"
            : $"{Usd(perPoint!.Value)} per point of {metric} ({Usd(total.Value)}: training {Usd(training!.Value)}, evaluation {Usd(evaluation!.Value)}; "
              + $"95% CI {Usd(low!.Value)} to {(high is { } hi ? Usd(hi) : "no upper limit, the gain's interval reaches 0")}).{hostingText}";
        return new CostPerPoint(metric, training, evaluation, total, headline.Points, headline.Lower, headline.Upper, perPoint, low, high, hosting, reading);
    }

    private static string Usd(decimal value) => "$" + value.ToString("N2", CultureInfo.InvariantCulture);
}
