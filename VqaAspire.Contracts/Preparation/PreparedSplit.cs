namespace VqaAspire.Contracts;

/// <param name="File">Workspace-relative path of the JSONL.</param>
public sealed record PreparedSplit(
    string Split,
    int Images,
    int Examples,
    string File,
    long Bytes,
    ValidationReport Validation);
