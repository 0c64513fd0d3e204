namespace VqaAspire.Contracts;

/// <param name="Name">How the model is shown ("base", "fine-tuned", "ollama llava"...).</param>
/// <param name="Model">The model id (or Azure deployment name) sent to the provider.</param>
/// <param name="Endpoint">An OpenAI-compatible endpoint (vLLM, Ollama) to ask instead of the run's provider.</param>
/// <param name="Provider">
/// Another provider the api is configured with (<c>OtherProviders:{name}</c>: its own kind, endpoint and credentials,
/// which never leave the api), to ask instead of the run's: an OpenAI fine-tune beside its Azure copy.
/// </param>
public sealed record EvaluationModel(string Name, string Model, string? Endpoint = null, string? Provider = null);
