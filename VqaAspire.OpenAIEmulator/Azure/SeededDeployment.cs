namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>A deployment the emulated account has from the start: <c>Emulator:Azure:Deployments:0:Name=gpt-4o</c>...</summary>
public sealed class SeededDeployment
{
    public string Name { get; set; } = "";

    public string Model { get; set; } = "";

    public string Version { get; set; } = "";

    /// <summary>Standard, GlobalStandard, Developer or GlobalBatch.</summary>
    public string Sku { get; set; } = "GlobalStandard";

    public int Capacity { get; set; } = 1;
}
