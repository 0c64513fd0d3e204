namespace VqaAspire.Contracts;

/// <summary>Column names that replace a preset's. Null keeps the preset's choice.</summary>
public sealed record ColumnOverrides(
    string? Image = null,
    string? ImageId = null,
    string? Question = null,
    string? Answer = null,
    string? AcceptedAnswers = null,
    string? Choices = null);
