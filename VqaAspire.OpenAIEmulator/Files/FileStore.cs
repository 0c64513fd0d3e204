using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Files;

/// <summary>An OpenAI file object.</summary>
public sealed class FileObject
{
    public required string Id { get; init; }

    public string Object => "file";

    public required long Bytes { get; init; }

    public required long CreatedAt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? ExpiresAt { get; init; }

    public required string Filename { get; init; }

    public required string Purpose { get; init; }

    public string Status { get; init; } = "processed";

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? StatusDetails { get; init; }
}

/// <summary>Files and their bytes, kept in the data folder.</summary>
public sealed class FileStore(ObjectStore store)
{
    /// <summary>The Files API's per-file limit.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    public static readonly string[] Purposes = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"];

    private readonly ObjectCollection<FileObject> _files = store.Collection<FileObject>("files", f => f.Id);

    public IEnumerable<FileObject> All => _files.All;

    public FileObject? Find(string id) => _files.Find(id);

    /// <param name="expiresAfterSeconds">expires_after.seconds from the creation (anchor created_at), or null for never.</param>
    public async Task<FileObject> CreateAsync(string filename, string purpose, Stream content, CancellationToken cancellationToken, long? expiresAfterSeconds = null)
    {
        var id = Ids.New("file-");
        var path = _files.DataPath(id);
        await ObjectStore.WriteAtomicallyAsync(path, content, cancellationToken);
        var createdAt = Ids.Now();
        var file = new FileObject
        {
            Id = id,
            Bytes = new FileInfo(path).Length,
            CreatedAt = createdAt,
            ExpiresAt = createdAt + expiresAfterSeconds,
            Filename = filename,
            Purpose = purpose,
        };
        _files.Save(file);
        return file;
    }

    public Task<FileObject> CreateAsync(string filename, string purpose, byte[] content, CancellationToken cancellationToken) =>
        CreateAsync(filename, purpose, new MemoryStream(content, writable: false), cancellationToken);

    /// <summary>Moves an already written file (an upload's assembled parts) into the store.</summary>
    public FileObject Adopt(string sourcePath, string filename, string purpose)
    {
        var id = Ids.New("file-");
        File.Move(sourcePath, _files.DataPath(id), overwrite: true);
        var file = new FileObject
        {
            Id = id,
            Bytes = new FileInfo(_files.DataPath(id)).Length,
            CreatedAt = Ids.Now(),
            Filename = filename,
            Purpose = purpose,
        };
        _files.Save(file);
        return file;
    }

    public Stream OpenRead(string id) => File.OpenRead(_files.DataPath(id));

    public bool Delete(string id)
    {
        if (!_files.Delete(id))
        {
            return false;
        }

        File.Delete(_files.DataPath(id));
        return true;
    }
}
