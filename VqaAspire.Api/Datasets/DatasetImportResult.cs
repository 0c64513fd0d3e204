using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// What an import or upload request came to: accepted with the dataset to follow, refused with the fields at fault,
/// or turned away because the import queue is full.
/// </summary>
public sealed record DatasetImportResult
{
    private DatasetImportResult()
    {
    }

    /// <summary>The dataset to follow, when the import was accepted (or was already there).</summary>
    public ImportAccepted? Accepted { get; private init; }

    /// <summary>The refused fields and why, when the request was invalid.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; private init; }

    /// <summary>A sentence about the refusal as a whole, when there is one.</summary>
    public string? ErrorDetail { get; private init; }

    public static DatasetImportResult Started(ImportAccepted accepted) => new() { Accepted = accepted };

    public static DatasetImportResult Invalid(string field, string message) => new() { Errors = new Dictionary<string, string[]> { [field] = [message] } };

    public static DatasetImportResult Invalid(string field, string[] messages, string detail) =>
        new() { Errors = new Dictionary<string, string[]> { [field] = messages }, ErrorDetail = detail };

    /// <summary>Neither accepted nor refused: too many imports are waiting.</summary>
    public static DatasetImportResult QueueFull { get; } = new();
}
