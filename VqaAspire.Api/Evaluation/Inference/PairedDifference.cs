namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>
/// Fine-tuned minus base on the examples both answered, in points (percentage points for 0..1 scores), with its
/// 95% cluster-bootstrap interval. Without paired examples there is nothing to compare: the values are null and it
/// reads "no paired examples", never "no significant difference".
/// </summary>
/// <param name="Pairs">Examples both models answered.</param>
/// <param name="Clusters">Images those examples came from.</param>
public sealed record PairedDifference(int Pairs, int Clusters, double? Points, double? Lower, double? Upper)
{
    public const string NoPairedExamplesText = "no paired examples";

    public static PairedDifference NoPairedExamples { get; } = new(0, 0, null, null, null);

    public bool HasPairs => Pairs > 0;

    /// <summary>True when the interval leaves out 0: the difference is more than resampling noise.</summary>
    public bool ExcludesZero => Lower > 0 || Upper < 0;

    /// <summary>"+4.2 points (95% CI +1.0 to +7.5)", or "no paired examples".</summary>
    public string Describe() => HasPairs
        ? $"{Signed(Points)} points (95% CI {Signed(Lower)} to {Signed(Upper)})"
        : NoPairedExamplesText;

    private static string Signed(double? value) =>
        (value ?? double.NaN).ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture);
}
