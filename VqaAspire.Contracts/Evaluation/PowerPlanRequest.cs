namespace VqaAspire.Contracts;

/// <summary>
/// How many test covers an evaluation needs to detect a chosen difference: <c>POST /api/evaluations/power-plan</c>. Figures
/// come from a pilot evaluation when one is named; any figure given here overrides the pilot's; the rest are the
/// stated defaults (each named in the plan's assumptions).
/// </summary>
/// <param name="DifferencePoints">The true difference to detect, in points (0 to 100 exclusive).</param>
/// <param name="PilotEvaluationId">A finished evaluation whose discordance, design effect, questions per cover, tokens and models to use.</param>
/// <param name="Discordance">Share of examples exactly one model gets right (0 to 1).</param>
/// <param name="DesignEffect">Variance inflation of questions per cover (at least 1).</param>
/// <param name="QuestionsPerCover">Test examples per cover.</param>
/// <param name="OpenEndedShare">Share of questions the judge grades (0 to 1).</param>
/// <param name="Models">The model ids compared, for their prices (a fine-tune as ft:BASE:...).</param>
/// <param name="JudgeModel">The judge's model id, for its price.</param>
/// <param name="PromptTokensPerRequest">Prompt tokens per answer request; else estimated from <paramref name="FewShotCount"/> and <paramref name="Detail"/>.</param>
/// <param name="CompletionTokensPerRequest">Completion tokens per answer.</param>
/// <param name="FewShotCount">Few-shot pairs in each prompt (each with an image).</param>
/// <param name="Detail">Image detail: low, high or auto.</param>
/// <param name="Mode">sync, or batch (half price for the answers).</param>
public sealed record PowerPlanRequest(
    double DifferencePoints,
    string? PilotEvaluationId = null,
    double? Discordance = null,
    double? DesignEffect = null,
    double? QuestionsPerCover = null,
    double? OpenEndedShare = null,
    IReadOnlyList<string>? Models = null,
    string? JudgeModel = null,
    int? PromptTokensPerRequest = null,
    int? CompletionTokensPerRequest = null,
    int? FewShotCount = null,
    string? Detail = null,
    string Mode = "sync");
