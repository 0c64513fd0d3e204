namespace VqaAspire.Contracts;

/// <summary>
/// McNemar-type test between two models on the examples both were graded on, clustered by image: its p-value flips
/// the sign of each image's discordance (exact McNemar when every image has one question).
/// </summary>
/// <param name="Measure">yes/no strict, judge strict (Very Similar), or judge at least Mostly Similar.</param>
/// <param name="PValue">The unadjusted two-sided p-value; null without paired examples (nothing was tested).</param>
/// <param name="AdjustedPValue">Holm-adjusted across the tests of the evaluation; null without paired examples.</param>
/// <param name="Reading">"significant difference (clustered by 40 images, Holm-adjusted p = ...)", "no significant difference (...)" or "no paired examples".</param>
/// <param name="Images">Images the paired examples came from (the clusters of the test).</param>
public sealed record PairedTest(string ModelA, string ModelB, string Measure, int Examples, int OnlyARight, int OnlyBRight, double? PValue,
    double? AdjustedPValue = null, string? Reading = null, int Images = 0);
