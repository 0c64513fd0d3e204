using VqaAspire.Contracts;

namespace VqaAspire.Web.Components.Controls;

/// <summary>
/// The verdict of an evaluation, computed from its summary: the headline metric for each model, the first model as
/// the baseline, and each other model's difference from it with a 95% interval and what that interval says.
/// </summary>
/// <param name="Metric">The metric in words.</param>
public sealed record Verdict(string Metric, ModelRate Baseline, IReadOnlyList<ModelRate> Models, IReadOnlyList<VerdictDifference> Differences)
{
    public const string MetricName = "Strict accuracy";

    public const string MetricDescription = "yes/no questions: exact answer; open-ended questions: the judge's Very Similar";

    private const double Z = 1.959964;

    /// <summary>The verdict of a finished (or partly scored) evaluation, or null when nothing is scored yet.</summary>
    public static Verdict? Of(EvaluationView? evaluation)
    {
        var models = evaluation?.Summary?.Models.Select(Rate).OfType<ModelRate>().ToList();
        if (models is not { Count: > 0 })
        {
            return null;
        }

        var baseline = models.FirstOrDefault(m => m.Name == "base") ?? models[0];
        var differences = models.Where(m => m != baseline).Select(m => Difference(m, baseline)).ToList();
        return new Verdict(MetricName, baseline, models, differences);
    }

    /// <summary>Right answers over every graded question: yes/no strict plus judge strict, as the evaluations list counts them.</summary>
    public static ModelRate? Rate(ModelScores scores)
    {
        var parts = new[] { scores.Overall.YesNoStrict, scores.Overall.JudgeStrict }.OfType<Accuracy>().ToList();
        var total = parts.Sum(a => a.Total);
        if (total == 0)
        {
            return null;
        }

        var right = parts.Sum(a => a.Right);
        var (lower, upper) = Wilson(right, total);
        return new ModelRate(scores.Name, scores.Model, right, total, (double)right / total, lower, upper);
    }

    /// <summary>The Wilson score interval: honest near 0% and 100%, where the plain one is not.</summary>
    public static (double Lower, double Upper) Wilson(int right, int total)
    {
        var p = (double)right / total;
        var denominator = 1 + Z * Z / total;
        var centre = (p + Z * Z / (2 * total)) / denominator;
        var half = Z * Math.Sqrt(p * (1 - p) / total + Z * Z / (4.0 * total * total)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Newcombe's interval for a difference of two rates, from their Wilson intervals. It treats the models' answers as
    /// independent, so on the same questions it is a little wider than a paired interval: a cautious reading.
    /// </summary>
    public static VerdictDifference Difference(ModelRate model, ModelRate baseline)
    {
        var d = model.Value - baseline.Value;
        var lower = d - Math.Sqrt(Math.Pow(model.Value - model.Lower, 2) + Math.Pow(baseline.Upper - baseline.Value, 2));
        var upper = d + Math.Sqrt(Math.Pow(model.Upper - model.Value, 2) + Math.Pow(baseline.Value - baseline.Lower, 2));
        var reading = lower > 0 ? $"{model.Name} is better than {baseline.Name}: the whole interval is above zero."
            : upper < 0 ? $"{model.Name} is worse than {baseline.Name}: the whole interval is below zero."
            : $"No clear difference: the interval includes zero, so {model.Name} and {baseline.Name} cannot be told apart on these questions.";
        return new VerdictDifference(model.Name, baseline.Name, d, lower, upper, reading);
    }
}
