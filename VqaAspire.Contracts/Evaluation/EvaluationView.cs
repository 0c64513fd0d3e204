namespace VqaAspire.Contracts;

/// <summary>An evaluation as the api shows it.</summary>
public sealed record EvaluationView(
    string Id,
    string RunId,
    DateTimeOffset CreatedAt,
    EvaluationRequest Settings,
    IReadOnlyList<EvaluationModel> Models,
    RunStep Step,
    bool Emulated,
    EvaluationSummary? Summary);
