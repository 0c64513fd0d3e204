namespace VqaAspire.Contracts;

/// <summary>Exact McNemar test between two models on the examples both were graded on.</summary>
/// <param name="Measure">yes/no strict, judge strict (Very Similar), or judge at least Mostly Similar.</param>
/// <param name="PValue">The unadjusted two-sided p-value (1 without paired examples).</param>
/// <param name="AdjustedPValue">Holm-adjusted across the tests of the evaluation; null without paired examples.</param>
/// <param name="Reading">"significant difference (Holm-adjusted p = ...)", "no significant difference (...)" or "no paired examples".</param>
public sealed record PairedTest(string ModelA, string ModelB, string Measure, int Examples, int OnlyARight, int OnlyBRight, double PValue,
    double? AdjustedPValue = null, string? Reading = null);
