namespace VqaAspire.Contracts;

/// <summary>One model's answer in the playground, with what it cost and how long it took.</summary>
/// <param name="Error">Why there is no answer (the provider refused, or could not be reached), or null.</param>
/// <param name="LatencyMs">From sending the request to the whole answer, retries included.</param>
/// <param name="Emulated">The answer came from the OpenAI emulator, not a real model.</param>
public sealed record PlaygroundAnswer(
    string Name,
    string Model,
    string? Endpoint,
    string? Text,
    string? Error,
    int PromptTokens,
    int CompletionTokens,
    double LatencyMs,
    bool Emulated);
