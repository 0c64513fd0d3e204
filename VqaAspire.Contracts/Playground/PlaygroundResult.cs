namespace VqaAspire.Contracts;

/// <summary>The playground's answers, in the order the models were asked for.</summary>
public sealed record PlaygroundResult(string Question, IReadOnlyList<PlaygroundAnswer> Answers);
