using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VqaAspire.OpenAIEmulator.Storage;

/// <summary>
/// The emulator's state on disk: one folder per kind of object, a JSON document per object and, for files, the bytes
/// beside it. Writes go to a temporary file and are renamed into place, so a crash never leaves half an object.
/// Everything is loaded into memory at start; lookups never touch the disk except for file contents.
/// </summary>
public sealed class ObjectStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public ObjectStore(IOptions<EmulatorOptions> options, IHostEnvironment environment)
    {
        Root = options.Value.DataDirectory is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(environment.ContentRootPath, ".data", "emulator");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A named collection of JSON objects of one type, loaded at first use.</summary>
    public ObjectCollection<T> Collection<T>(string name, Func<T, string> id) where T : class => new(Path.Combine(Root, name), id);

    internal static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, bytes.ToArray());
        File.Move(temp, path, overwrite: true);
    }

    internal static async Task WriteAtomicallyAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await using (var output = File.Create(temp))
        {
            await content.CopyToAsync(output, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
    }
}

public sealed class ObjectCollection<T> where T : class
{
    private readonly string _folder;
    private readonly Func<T, string> _id;
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);

    internal ObjectCollection(string folder, Func<T, string> id)
    {
        _folder = folder;
        _id = id;
        Directory.CreateDirectory(folder);
        foreach (var path in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), ObjectStore.Json) is { } item)
                {
                    _items[_id(item)] = item;
                }
            }
            catch (JsonException)
            {
                // A document that does not parse is skipped rather than stopping the emulator.
            }
        }
    }

    public string Folder => _folder;

    public IEnumerable<T> All => _items.Values;

    public T? Find(string id) => _items.GetValueOrDefault(id);

    public void Save(T item)
    {
        var id = _id(item);
        lock (item)
        {
            ObjectStore.WriteAtomically(Path.Combine(_folder, id + ".json"), JsonSerializer.SerializeToUtf8Bytes(item, ObjectStore.Json));
        }

        _items[id] = item;
    }

    public bool Delete(string id)
    {
        if (!_items.TryRemove(id, out _))
        {
            return false;
        }

        File.Delete(Path.Combine(_folder, id + ".json"));
        return true;
    }

    /// <summary>A path beside the object's document, for its bytes.</summary>
    public string DataPath(string id, string extension = ".bin") => Path.Combine(_folder, id + extension);
}

/// <summary>OpenAI-style identifiers: a prefix and 24 random characters.</summary>
public static class Ids
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string prefix, int length = 24) =>
        prefix + string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
            }
        });

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
