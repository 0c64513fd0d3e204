namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>When a file came in through the Azure surface, which decides when it is processed.</summary>
public sealed class AzureUploadedFile
{
    public required string Id { get; init; }

    public long UploadedAtMs { get; init; }
}
