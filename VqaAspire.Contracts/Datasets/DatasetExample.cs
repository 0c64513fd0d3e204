namespace VqaAspire.Contracts;

/// <summary>One question of one image, as the examples page shows it.</summary>
public sealed record DatasetExample(
    string ImageId,
    string Split,
    string Question,
    string Answer,
    string Kind,
    string ImageUrl,
    IReadOnlyDictionary<string, string> Metadata);
