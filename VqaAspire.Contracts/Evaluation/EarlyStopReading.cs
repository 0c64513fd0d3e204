namespace VqaAspire.Contracts;

/// <summary>
/// An evaluation asked with <c>earlyStop</c>: covers answered in a seeded random order, the headline pair checked at a few
/// looks by a group-sequential test, and the evaluation stopped at the first look whose statistic crossed its boundary.
/// </summary>
/// <param name="Method">The sequential method and its reference, in words.</param>
/// <param name="Seed">The seed of the covers' order (from the evaluation's id), so the order can be replayed.</param>
/// <param name="CoversTotal">Covers in the test set.</param>
/// <param name="CoversAsked">Covers answered when it stopped (all of them when it never stopped early).</param>
/// <param name="Looks">Every look made, in order.</param>
/// <param name="StoppedEarly">True when a look crossed its boundary before the last cover.</param>
/// <param name="Reason">Why it stopped or went on to the end, in words.</param>
/// <param name="CoversNotAsked">Covers never asked.</param>
/// <param name="RequestsSaved">Questions of those covers times the models (answers), plus the judge calls their open-ended questions would have needed.</param>
/// <param name="CostSavedUsd">Those requests at the price tables' estimate (the power plan's per-request figures); null when a model has no price.</param>
/// <param name="RepeatedInterval">The repeated 95% confidence interval of B minus A at the stopping look, in points (Jennison and Turnbull): valid whatever look it stopped at.</param>
public sealed record EarlyStopReading(
    string Method,
    int Seed,
    int CoversTotal,
    int CoversAsked,
    IReadOnlyList<SequentialLook> Looks,
    bool StoppedEarly,
    string Reason,
    int CoversNotAsked,
    int RequestsSaved,
    decimal? CostSavedUsd,
    SequentialInterval? RepeatedInterval);

/// <summary>One look of the group-sequential test on the headline pair.</summary>
/// <param name="Covers">Covers answered by then (both models answered at least one of their questions).</param>
/// <param name="InformationFraction">Covers over the test set's covers.</param>
/// <param name="Statistic">The t statistic of the per-cover summed differences (B minus A), shown; null when it cannot be formed (no variation).</param>
/// <param name="Boundary">The two-sided critical value on the normal scale at this look (O'Brien-Fleming-type spending).</param>
/// <param name="NominalPValue">The two-sided p-value of the exact sign-flip permutation test by cover on those sums: it decides.</param>
/// <param name="NominalAlpha">The two-sided nominal level the boundary corresponds to: the look crosses when <paramref name="NominalPValue"/> is below it.</param>
/// <param name="Crossed">True when the statistic crossed the boundary.</param>
public sealed record SequentialLook(int Covers, double InformationFraction, double? Statistic, double Boundary, double? NominalPValue, double NominalAlpha, bool Crossed);

/// <summary>An interval in points.</summary>
public sealed record SequentialInterval(double Points, double Lower, double Upper);
