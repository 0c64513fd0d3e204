namespace VqaAspire.Contracts;

/// <summary>
/// How the dataset's metric is computed: <see cref="Official"/> (the benchmarks' own scripts, the default, so scores
/// compare with published ones) or the opt-in <see cref="Lenient"/>, named wherever its scores are shown.
/// </summary>
public static class MetricVariants
{
    public const string Official = "official";

    /// <summary>
    /// ChartQA relaxed accuracy reads "1,234", "12." and " 12 " as numbers, "45%" as 45, and 0 as any zero; VQA
    /// normalisation (VQA accuracy, exact match) also restores "im", "ive" and "shes" and closes up spaced initials ("J. K." as "J.K.").
    /// </summary>
    public const string Lenient = "lenient";

    public static bool IsKnown(string? variant) => variant is Official or Lenient;
}
