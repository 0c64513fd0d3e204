namespace VqaAspire.Contracts;

/// <param name="Train">Images sampled for training (each exploded into one example per question).</param>
/// <param name="Stratify">Keep each question kind's share of images, instead of a plain shuffle.</param>
public sealed record SamplingSettings(int Train = 150, int Validation = 50, int Test = 100, int Seed = 42, bool Stratify = false);
