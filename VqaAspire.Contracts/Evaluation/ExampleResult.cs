namespace VqaAspire.Contracts;

/// <summary>One example's answers and grades, for the example browser.</summary>
public sealed record ExampleResult(
    string ExampleId,
    string Kind,
    string Question,
    string Truth,
    string? ImageCacheId,
    IReadOnlyList<ModelAnswer> Answers);
