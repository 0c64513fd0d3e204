namespace VqaAspire.Contracts;

/// <summary>One problem an import met: the record or file it concerns and why it was skipped.</summary>
public sealed record ImportProblem(string? Split, string Where, string Reason);
