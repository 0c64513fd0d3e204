namespace VqaAspire.OpenAIEmulator;

public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>When set, only this bearer key is accepted; otherwise any bearer key is (as a local tool should).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Marks every response as emulated, so dashboards never mistake its numbers for a real model's.</summary>
    public const string SystemFingerprint = "fp_vqaaspire_emulator";

    public const string Owner = "vqaaspire-emulator";
}
