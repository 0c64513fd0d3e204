namespace VqaAspire.Contracts;

/// <summary>The covers, requests and money an evaluation needs to detect a difference at 80% power, 5% two-sided.</summary>
/// <param name="Covers">Test covers (images) needed; null when the difference cannot be detected with this discordance (Δ² ≥ discordance).</param>
/// <param name="Examples">Questions those covers hold.</param>
/// <param name="Requests">Answer requests (every model, every question) plus judge calls (every model, open-ended questions).</param>
/// <param name="CostUsd">What those requests cost at the price tables; null when a model has no price.</param>
/// <param name="Assumptions">Where every figure came from: the pilot, the request, or a stated default.</param>
/// <param name="Reading">The plan in words.</param>
public sealed record PowerPlan(
    double DifferencePoints,
    int? Covers,
    int? Examples,
    int? Requests,
    long? PromptTokens,
    long? CompletionTokens,
    decimal? CostUsd,
    double Discordance,
    double DesignEffect,
    double QuestionsPerCover,
    IReadOnlyList<string> Assumptions,
    string Reading);
