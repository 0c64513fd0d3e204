namespace VqaAspire.Contracts;

/// <summary>Answer a run's test set with some models and score them: <c>POST /api/runs/{id}/evaluations</c>.</summary>
/// <param name="Models">Models to compare. Empty means the base snapshot and, when there is one, the run's fine-tuned model.</param>
/// <param name="ZeroShot">Ask without the few-shot pairs (system prompt and question only).</param>
/// <param name="Mode">sync (requests under the limits below) or batch (the Batch API: half price, up to 24 h).</param>
/// <param name="JudgeModel">The model grading open-ended answers, on the run's provider (<paramref name="Judge"/> wins when both are given).</param>
/// <param name="MaxConcurrency">Requests in flight at once.</param>
/// <param name="RequestsPerMinute">Client-side limit; 0 for none.</param>
/// <param name="TokensPerMinute">Client-side limit; 0 for none.</param>
/// <param name="Judge">The judge's model and, optionally, another endpoint to ask it on.</param>
/// <param name="MetricVariant">
/// "official" (the default: the benchmark's own metric) or "lenient" (see <see cref="MetricVariants.Lenient"/>), named
/// with the metric wherever its scores are shown.
/// </param>
/// <param name="EarlyStop">
/// Answer whole covers in a seeded random order and stop once the headline verdict is settled, by a group-sequential
/// test checked every <c>20</c> covers (sync mode, two or more models); off by default.
/// </param>
public sealed record EvaluationRequest(
    IReadOnlyList<EvaluationModel>? Models = null,
    bool ZeroShot = false,
    string Mode = "sync",
    string JudgeModel = "gpt-4o",
    int MaxConcurrency = 8,
    int RequestsPerMinute = 0,
    int TokensPerMinute = 0,
    EvaluationJudge? Judge = null,
    string MetricVariant = MetricVariants.Official,
    bool EarlyStop = false);
