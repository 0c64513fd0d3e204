namespace VqaAspire.Contracts;

/// <summary>Answer a run's test set with some models and score them: <c>POST /api/runs/{id}/evaluations</c>.</summary>
/// <param name="Models">Models to compare. Empty means the base snapshot and, when there is one, the run's fine-tuned model.</param>
/// <param name="ZeroShot">Ask without the few-shot pairs (system prompt and question only).</param>
/// <param name="Mode">sync (requests under the limits below) or batch (the Batch API: half price, up to 24 h).</param>
/// <param name="JudgeModel">The model grading open-ended answers.</param>
/// <param name="MaxConcurrency">Requests in flight at once.</param>
/// <param name="RequestsPerMinute">Client-side limit; 0 for none.</param>
/// <param name="TokensPerMinute">Client-side limit; 0 for none.</param>
public sealed record EvaluationRequest(
    IReadOnlyList<EvaluationModel>? Models = null,
    bool ZeroShot = false,
    string Mode = "sync",
    string JudgeModel = "gpt-4o",
    int MaxConcurrency = 8,
    int RequestsPerMinute = 0,
    int TokensPerMinute = 0);

/// <param name="Name">How the model is shown ("base", "fine-tuned", "ollama llava"...).</param>
/// <param name="Model">The model id (or Azure deployment name) sent to the provider.</param>
/// <param name="Endpoint">An OpenAI-compatible endpoint (vLLM, Ollama) to ask instead of the run's provider.</param>
public sealed record EvaluationModel(string Name, string Model, string? Endpoint = null);

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

/// <summary>Scores per model, per question kind, with intervals, and the paired tests.</summary>
public sealed record EvaluationSummary(IReadOnlyList<ModelScores> Models, IReadOnlyList<PairedTest> PairedTests);

public sealed record ModelScores(
    string Name,
    string Model,
    int Answered,
    int Failed,
    KindScores Overall,
    IReadOnlyList<KindScores> ByKind,
    IReadOnlyDictionary<string, int> JudgeRatings,
    long PromptTokens,
    long CompletionTokens,
    decimal? CostUsd);

/// <summary>The accuracies of one model on one question kind (or all), each with its 95% bootstrap interval.</summary>
/// <param name="YesNoLenient">The notebook's rule (truth equal to or inside the prediction), on yes/no questions.</param>
/// <param name="YesNoStrict">Normalised exact match, on yes/no questions.</param>
/// <param name="JudgeStrict">Open-ended questions the judge rated Very Similar.</param>
/// <param name="JudgeLenient">Open-ended questions the judge rated at least Mostly Similar.</param>
/// <param name="ExactMatch">Normalised exact match on open-ended questions.</param>
/// <param name="Anls">Mean ANLS on open-ended questions.</param>
public sealed record KindScores(
    string Kind,
    int Examples,
    Accuracy? YesNoLenient,
    Accuracy? YesNoStrict,
    Accuracy? JudgeStrict,
    Accuracy? JudgeLenient,
    Accuracy? ExactMatch,
    double? Anls);

public sealed record Accuracy(int Right, int Total, double Value, double Lower, double Upper);

/// <summary>Exact McNemar test between two models on the same examples.</summary>
/// <param name="Measure">yes/no strict, or judge at least Mostly Similar.</param>
public sealed record PairedTest(string ModelA, string ModelB, string Measure, int Examples, int OnlyARight, int OnlyBRight, double PValue);

/// <summary>One example's answers and grades, for the example browser.</summary>
public sealed record ExampleResult(
    string ExampleId,
    string Kind,
    string Question,
    string Truth,
    string? ImageCacheId,
    IReadOnlyList<ModelAnswer> Answers);

public sealed record ModelAnswer(string Name, string? Answer, string? Error, bool? LenientRight, bool? StrictRight, double? Anls, string? JudgeRating);
