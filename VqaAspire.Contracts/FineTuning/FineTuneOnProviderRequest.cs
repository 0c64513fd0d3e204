namespace VqaAspire.Contracts;

/// <summary>
/// Run a prepared run's fine-tune again on another provider: <c>POST /api/runs/{id}/fine-tunes</c>. The same prepared
/// files (system prompt, few-shot pairs) are uploaded there and a new job is created; the earlier fine-tune stays on the run.
/// </summary>
/// <param name="Provider">The app's provider by its kind (openai, azure, emulator), or another configured provider by its name (OtherProviders:{name}).</param>
/// <param name="Settings">The job's settings; null for the earlier fine-tune's (without its Azure-only choices).</param>
public sealed record FineTuneOnProviderRequest(string? Provider, FineTuneRequest? Settings = null);
