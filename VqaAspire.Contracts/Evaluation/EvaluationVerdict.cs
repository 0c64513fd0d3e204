namespace VqaAspire.Contracts;

/// <summary>
/// Whether the evaluation names a better model on its headline (the dataset's metric, B minus A on the examples both
/// answered), and why or why not. A winner is named only when every model left at most
/// <paramref name="UnansweredLimit"/> of its questions unanswered, the paired examples come from at least
/// <paramref name="CoversNeeded"/> images, the 95% cluster-bootstrap interval leaves out 0, the sign-flip permutation test
/// by image agrees (two-sided p below 0.05), and counting unanswered questions as wrong names the same winner.
/// </summary>
/// <param name="Outcome">One of <see cref="VerdictOutcomes"/>.</param>
/// <param name="Winner">The better model's name; null unless <paramref name="Outcome"/> is <see cref="VerdictOutcomes.Better"/>.</param>
/// <param name="Coverage">Each compared model's answered questions of the test set.</param>
/// <param name="UnansweredLimit">The largest share of unanswered questions a model may leave for a winner to be named (0.02).</param>
/// <param name="UnansweredAsWrong">The same difference over every example, unanswered counting as wrong; null when both answered everything.</param>
/// <param name="Covers">Images (covers) the paired examples came from.</param>
/// <param name="CoversNeeded">Images needed before a winner may be named (20).</param>
/// <param name="SignFlipPValue">Two-sided p of the sign-flip permutation test by image on per-image summed differences; null without pairs.</param>
/// <param name="SignFlipMethod">"exact (all 2^k sign patterns)" or "Monte Carlo (10,000 seeded sign patterns)".</param>
/// <param name="Reading">The verdict in words, with the reason when no winner is named.</param>
/// <param name="HolmAdjustedPValue">
/// With three or more models: <paramref name="SignFlipPValue"/> Holm-adjusted across the pairs' overall comparisons, and
/// the p-value that decides (below 0.05 for a winner); null with two models.
/// </param>
/// <param name="HolmPairs">The pairs the Holm adjustment is across; null with two models.</param>
public sealed record EvaluationVerdict(
    string ModelA,
    string ModelB,
    string Outcome,
    string? Winner,
    IReadOnlyList<ModelCoverage> Coverage,
    double UnansweredLimit,
    PairedComparison? UnansweredAsWrong,
    int Covers,
    int CoversNeeded,
    double? SignFlipPValue,
    string? SignFlipMethod,
    string Reading,
    double? HolmAdjustedPValue = null,
    int? HolmPairs = null);

/// <summary>A model's answered questions of the test set; the rest failed (404, 500, a timeout, no answer).</summary>
public sealed record ModelCoverage(string Name, int Answered, int Total)
{
    public double Share => Total == 0 ? 0 : (double)Answered / Total;
}

/// <summary>What a verdict can say.</summary>
public static class VerdictOutcomes
{
    /// <summary>A winner is named.</summary>
    public const string Better = "better";

    /// <summary>Enough covers, but the interval includes 0 or the sign-flip test does not agree.</summary>
    public const string NoClearDifference = "no-clear-difference";

    /// <summary>Fewer covers than needed to tell.</summary>
    public const string TooFewCovers = "too-few-covers";

    /// <summary>A model left more than the limit unanswered: its deployment failed, and that is not its quality.</summary>
    public const string TooManyUnanswered = "too-many-unanswered";

    /// <summary>Counting unanswered questions as wrong does not name the same winner.</summary>
    public const string ReadingsDisagree = "readings-disagree";

    /// <summary>The emulator answered for a compared model.</summary>
    public const string Emulated = "emulated";

    /// <summary>The two models share no answered example.</summary>
    public const string NoPairedExamples = "no-paired-examples";
}
