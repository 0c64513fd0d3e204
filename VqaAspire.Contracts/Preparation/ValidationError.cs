namespace VqaAspire.Contracts;

/// <param name="Line">1-based line number in the file.</param>
/// <param name="ExampleId">The example the line holds, when known.</param>
/// <param name="Rule">Short rule name, e.g. too_many_images.</param>
public sealed record ValidationError(int Line, string? ExampleId, string Rule, string Message);
