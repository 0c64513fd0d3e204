namespace VqaAspire.Contracts;

/// <summary>Sizes of the synthetic sample (images per split, 2-7 questions each) and its seed.</summary>
public sealed record SampleOptions(int Train = 200, int Validation = 60, int Test = 120, int Seed = 42);
