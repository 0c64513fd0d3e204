namespace VqaAspire.Contracts;

/// <summary>Exact McNemar test between two models on the same examples.</summary>
/// <param name="Measure">yes/no strict, or judge at least Mostly Similar.</param>
public sealed record PairedTest(string ModelA, string ModelB, string Measure, int Examples, int OnlyARight, int OnlyBRight, double PValue);
