using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using VqaAspire.Api.Datasets.Manifest;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>
/// Uploads sent one file at a time: a session is a workspace folder (<c>uploads/{id}/</c>) that keeps what arrived until
/// it is imported or discarded, so a reload or a dropped connection restarts the upload where it stopped. A file sent
/// twice is kept once (same path and SHA-256); a different file of the same path replaces it. Each file is written
/// to a temporary name and moved into place, so a half-sent file never counts as received.
/// </summary>
public sealed partial class UploadSessions(WorkspaceStorage workspace, DatasetUploadService uploads, TimeProvider time)
{
    private const string Root = "uploads";
    private const string SessionFile = "session.json";
    private const string PartialSuffix = ".partial";
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<UploadSessionView> CreateAsync(string? name, string preset, CancellationToken cancellationToken)
    {
        var trimmed = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        var id = DatasetEntries.NewId(trimmed ?? "upload");
        var session = new SessionFileContent(id, trimmed ?? id, preset, time.GetUtcNow());
        Directory.CreateDirectory(workspace.Resolve(Root, id, "files"));
        await File.WriteAllTextAsync(workspace.Resolve(Root, id, SessionFile), JsonSerializer.Serialize(session, Json), cancellationToken);
        return View(session);
    }

    /// <summary>Every open session, newest first.</summary>
    public async Task<IReadOnlyList<UploadSessionView>> ListAsync(CancellationToken cancellationToken)
    {
        var root = workspace.Resolve(Root);
        if (!Directory.Exists(root))
        {
            return [];
        }

        var sessions = new List<UploadSessionView>();
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            if (await ReadAsync(Path.GetFileName(folder), cancellationToken) is { } session)
            {
                sessions.Add(View(session));
            }
        }

        return [.. sessions.OrderByDescending(s => s.CreatedAt)];
    }

    public async Task<UploadSessionView?> GetAsync(string id, CancellationToken cancellationToken) =>
        await ReadAsync(id, cancellationToken) is { } session ? View(session) : null;

    /// <summary>Saves one file into the session: the result, or a sentence naming the file and why it was refused.</summary>
    public async Task<(UploadedFileResult? Saved, string? Problem)> SaveFileAsync(string id, string? fileName, Stream body, CancellationToken cancellationToken)
    {
        var (relative, kind, nameProblem) = UploadStore.Check(fileName);
        if (nameProblem is not null)
        {
            return (null, nameProblem);
        }

        var head = new byte[UploadStore.HeadLength];
        var headLength = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (UploadStore.ContentProblem(relative!, kind!, head.AsSpan(0, headLength)) is { } contentProblem)
        {
            return (null, contentProblem);
        }

        string target;
        try
        {
            target = workspace.Resolve(Root, id, "files", relative!);
        }
        catch (WorkspacePathException ex)
        {
            return (null, ex.Message);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = $"{target}.{Guid.NewGuid():N}{PartialSuffix}";
        byte[] hash;
        long size;
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var output = File.Create(partial))
            {
                sha.AppendData(head, 0, headLength);
                await output.WriteAsync(head.AsMemory(0, headLength), cancellationToken);
                var buffer = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                size = output.Length;
            }

            hash = sha.GetHashAndReset();
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        var outcome = UploadedFileOutcomes.Saved;
        if (File.Exists(target))
        {
            if (new FileInfo(target).Length == size && (await HashAsync(target, cancellationToken)).AsSpan().SequenceEqual(hash))
            {
                File.Delete(partial);
                return (new UploadedFileResult(relative!, size, Convert.ToHexStringLower(hash), UploadedFileOutcomes.AlreadyThere), null);
            }

            outcome = UploadedFileOutcomes.Replaced;
        }

        File.Move(partial, target, overwrite: true);
        return (new UploadedFileResult(relative!, size, Convert.ToHexStringLower(hash), outcome), null);
    }

    /// <summary>Moves the session's files into a new dataset and queues its import; the session is closed.</summary>
    public async Task<DatasetImportResult> ImportAsync(string id, CancellationToken cancellationToken)
    {
        if (await ReadAsync(id, cancellationToken) is not { } session)
        {
            return DatasetImportResult.Invalid("session", $"There is no open upload '{id}'.");
        }

        var files = ListFiles(id);
        if (files.Count == 0)
        {
            return DatasetImportResult.Invalid("files", $"Upload '{id}' holds no file yet.");
        }

        // Checked before anything moves: the session stays open for the manifest or shards still to come.
        if (!files.Any(f => f.Path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            && ManifestVqaSource.FindManifest(workspace.Resolve(Root, id, "files")) is null)
        {
            return DatasetImportResult.Invalid("files", $"Upload '{id}' holds {files.Count:N0} files but no parquet shard and no manifest.jsonl or manifest.csv; add them and import again.");
        }

        var datasetFolder = $"datasets/{id}/files";
        Directory.CreateDirectory(workspace.Resolve("datasets", id));
        Directory.Move(workspace.Resolve(Root, id, "files"), workspace.Resolve(datasetFolder));
        Directory.Delete(workspace.Resolve(Root, id), recursive: true);
        return await uploads.QueueImportAsync(id, session.Name, session.Preset, datasetFolder, [.. files.Select(f => $"{datasetFolder}/{f.Path}")], []);
    }

    /// <summary>Deletes an open session and its files; false when there is none.</summary>
    public bool Discard(string id)
    {
        var folder = workspace.Resolve(Root, id);
        if (!File.Exists(Path.Combine(folder, SessionFile)))
        {
            return false;
        }

        Directory.Delete(folder, recursive: true);
        return true;
    }

    /// <summary>Session ids are the dataset ids <see cref="DatasetEntries.NewId"/> makes: a slug and a suffix.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    private async Task<SessionFileContent?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var path = workspace.Resolve(Root, id, SessionFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<SessionFileContent>(await File.ReadAllTextAsync(path, cancellationToken), Json) : null;
    }

    private UploadSessionView View(SessionFileContent session) =>
        new(session.Id, session.Name, session.Preset, session.CreatedAt, ListFiles(session.Id));

    private List<UploadedFile> ListFiles(string id)
    {
        var folder = workspace.Resolve(Root, id, "files");
        return !Directory.Exists(folder) ? []
            : [.. new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => !f.Name.EndsWith(PartialSuffix, StringComparison.Ordinal))
                .Select(f => new UploadedFile(Path.GetRelativePath(folder, f.FullName).Replace('\\', '/'), f.Length))
                .OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    private static async Task<byte[]> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await SHA256.HashDataAsync(stream, cancellationToken);
    }

    private sealed record SessionFileContent(string Id, string Name, string Preset, DateTimeOffset CreatedAt);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,60}$")]
    private static partial Regex IdPattern();
}
