namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>The model an Azure batch answers with (its GlobalBatch deployment's), kept so a restart does not lose it.</summary>
public sealed class AzureBatchModel
{
    public required string BatchId { get; init; }

    public required string Model { get; init; }
}
