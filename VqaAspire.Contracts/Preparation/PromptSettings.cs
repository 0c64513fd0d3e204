namespace VqaAspire.Contracts;

/// <param name="SystemPrompt">null uses the default prompt.</param>
/// <param name="FewShotCount">Question/answer pairs with images shown before each question (the notebook uses 6); 0 for zero-shot.</param>
/// <param name="FewShotExampleIds">Train example ids to use as few-shot pairs; null picks them.</param>
public sealed record PromptSettings(string? SystemPrompt = null, int FewShotCount = 6, IReadOnlyList<string>? FewShotExampleIds = null);
