namespace VqaAspire.Contracts;

/// <summary>
/// An upload sent one file at a time (<c>/api/datasets/uploads/sessions</c>): it stays open, files and all, until it
/// is imported or discarded, so a page reload or a dropped connection restarts it where it stopped.
/// </summary>
public sealed record UploadSessionView(string Id, string Name, string Preset, DateTimeOffset CreatedAt, IReadOnlyList<UploadedFile> Files)
{
    public long Bytes => Files.Sum(f => f.Size);
}

/// <summary>A file an upload session holds, by its path in the upload.</summary>
public sealed record UploadedFile(string Path, long Size);

/// <summary>What <c>POST /api/datasets/uploads/sessions</c> takes: the dataset's name and column preset.</summary>
public sealed record UploadSessionRequest(string? Name = null, string? Preset = null);

/// <summary>
/// What sending one file to a session came to: <see cref="UploadedFileOutcomes"/> says whether it was saved, was there
/// already with the same content (kept once), or replaced a different file of the same path.
/// </summary>
public sealed record UploadedFileResult(string Path, long Size, string Sha256, string Outcome);

/// <summary>The outcomes of sending one file to an upload session.</summary>
public static class UploadedFileOutcomes
{
    public const string Saved = "saved";
    public const string AlreadyThere = "already there";
    public const string Replaced = "replaced";
}
