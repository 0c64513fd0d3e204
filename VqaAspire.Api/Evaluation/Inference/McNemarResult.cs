using System.Globalization;

namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// An exact McNemar test of two models on the examples both were graded on. Without paired examples the p-values
/// are null and it reads "no paired examples", never "no significant difference".
/// </summary>
/// <param name="Measure">What was compared, e.g. "judge strict (Very Similar)" or "judge lenient (at least Mostly Similar)".</param>
/// <param name="Pairs">Examples graded for both models.</param>
/// <param name="OnlyFirst">Pairs only the first model got right.</param>
/// <param name="OnlySecond">Pairs only the second model got right.</param>
/// <param name="PValue">The two-sided exact p-value, or null without pairs.</param>
/// <param name="AdjustedPValue">The Holm-adjusted p-value across the evaluation's tests, once <see cref="HolmCorrection"/> has set it.</param>
/// <param name="Clusters">Images the pairs came from when the p-value keeps each image's questions together; 0 when it takes them as independent.</param>
public sealed record McNemarResult(string Measure, int Pairs, int OnlyFirst, int OnlySecond, double? PValue, double? AdjustedPValue = null, int Clusters = 0)
{
    public const double Alpha = 0.05;

    public bool HasPairs => Pairs > 0;

    /// <summary>"significant difference (clustered by 40 images, Holm-adjusted p = 0.012)", "no significant difference (...)", or "no paired examples".</summary>
    public string Describe()
    {
        if (!HasPairs || PValue is not { } p)
        {
            return PairedDifference.NoPairedExamplesText;
        }

        var (shown, pLabel) = AdjustedPValue is { } adjusted ? (adjusted, "Holm-adjusted p") : (p, "p");
        var label = Clusters > 0 ? $"clustered by {Clusters} images, {pLabel}" : pLabel;
        var reading = shown < Alpha ? "significant difference" : "no significant difference";
        // A p-value is never 0: below what three decimals show, it reads as a bound.
        return shown < 0.001
            ? $"{reading} ({label} < 0.001)"
            : $"{reading} ({label} = {shown.ToString("0.###", CultureInfo.InvariantCulture)})";
    }
}
