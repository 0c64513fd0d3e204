namespace VqaAspire.Contracts;

/// <summary>The model grading open-ended answers, and where it is asked.</summary>
/// <param name="Model">The judge's model id (or Azure deployment name).</param>
/// <param name="Endpoint">An OpenAI-compatible endpoint to ask instead of the run's provider; null for the run's provider.</param>
public sealed record EvaluationJudge(string Model, string? Endpoint = null);
