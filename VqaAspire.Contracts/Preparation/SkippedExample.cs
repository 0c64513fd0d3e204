namespace VqaAspire.Contracts;

/// <summary>An example or image left out, and why.</summary>
public sealed record SkippedExample(string Split, string ImageId, string? ExampleId, string Reason);
