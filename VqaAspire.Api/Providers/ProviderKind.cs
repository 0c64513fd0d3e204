namespace VqaAspire.Api.Providers;

/// <summary>The OpenAI-shaped services the pipeline can talk to.</summary>
public enum ProviderKind
{
    Emulator,
    OpenAI,
    Azure,
    OpenAICompatible,
}
