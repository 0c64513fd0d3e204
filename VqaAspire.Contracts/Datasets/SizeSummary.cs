namespace VqaAspire.Contracts;

/// <summary>Min, median and max of a size in pixels.</summary>
public sealed record SizeSummary(int Min, int Median, int Max);
