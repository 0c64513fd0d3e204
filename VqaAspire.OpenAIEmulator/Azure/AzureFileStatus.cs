using Microsoft.Extensions.Options;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Azure screens uploaded files (images included) before they can be used: a file uploaded on the Azure surface is
/// <c>pending</c> for <see cref="AzureOptions.FileProcessingMilliseconds"/>, then <c>processed</c>.
/// </summary>
public sealed class AzureFileStatus(ObjectStore store, IOptionsMonitor<EmulatorOptions> options, TimeProvider time)
{
    private readonly ObjectCollection<AzureUploadedFile> _files = store.Collection<AzureUploadedFile>("azure_files", f => f.Id);

    public void Track(string fileId) => _files.Save(new AzureUploadedFile { Id = fileId, UploadedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds() });

    /// <summary>pending, then processed; files the Azure surface did not take in (job results) are processed.</summary>
    public string Status(string fileId) =>
        _files.Find(fileId) is { } tracked && time.GetUtcNow().ToUnixTimeMilliseconds() - tracked.UploadedAtMs < options.CurrentValue.Azure.FileProcessingMilliseconds
            ? "pending"
            : "processed";

    public FileObject Present(FileObject file) => new()
    {
        Id = file.Id,
        Bytes = file.Bytes,
        CreatedAt = file.CreatedAt,
        ExpiresAt = file.ExpiresAt,
        Filename = file.Filename,
        Purpose = file.Purpose,
        Status = Status(file.Id),
        StatusDetails = file.StatusDetails,
    };
}
