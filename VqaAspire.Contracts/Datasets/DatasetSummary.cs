namespace VqaAspire.Contracts;

/// <summary>A dataset as <c>GET /api/datasets</c> lists it.</summary>
/// <param name="Progress">0..1 while importing.</param>
/// <param name="ProblemCount">Every problem met; <see cref="Problems"/> keeps the first ones.</param>
public sealed record DatasetSummary(
    string Id,
    string Name,
    string Source,
    string Location,
    string Preset,
    string Status,
    double Progress,
    string? ProgressMessage,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<SplitStats> Splits,
    int ProblemCount,
    IReadOnlyList<ImportProblem> Problems);
