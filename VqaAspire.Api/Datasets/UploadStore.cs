using System.Text.RegularExpressions;
using VqaAspire.Api.Workspace;

namespace VqaAspire.Api.Datasets;

/// <summary>Saves uploaded files into a workspace folder: names sanitised, type checked by extension and first bytes.</summary>
public static partial class UploadStore
{
    /// <summary>The <see cref="Contracts.ImportProblem.Where"/> of files refused at upload.</summary>
    public const string ProblemSource = "upload";

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp" };
    private static readonly HashSet<string> ManifestExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jsonl", ".csv" };

    /// <summary>Saves each acceptable file; returns the workspace paths saved and a reason for each file refused.</summary>
    public static async Task<(List<string> Saved, List<string> Errors)> SaveAsync(IFormFileCollection files, WorkspaceStorage workspace, string folder,
        CancellationToken cancellationToken)
    {
        var saved = new List<string>();
        var errors = new List<string>();
        foreach (var file in files)
        {
            var (relative, kind, nameProblem) = Check(file.FileName);
            if (nameProblem is not null)
            {
                errors.Add(nameProblem);
                continue;
            }

            await using var input = file.OpenReadStream();
            var head = new byte[HeadLength];
            var headLength = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            if (ContentProblem(relative!, kind!, head.AsSpan(0, headLength)) is { } contentProblem)
            {
                errors.Add(contentProblem);
                continue;
            }

            string target;
            try
            {
                target = workspace.Resolve(folder, relative!);
            }
            catch (WorkspacePathException ex)
            {
                errors.Add(ex.Message);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using (var output = File.Create(target))
            {
                await output.WriteAsync(head.AsMemory(0, headLength), cancellationToken);
                await input.CopyToAsync(output, cancellationToken);
            }

            saved.Add(Path.Combine(folder, relative!));
        }

        return (saved, errors);
    }

    /// <summary>Bytes of a file's start that <see cref="ContentProblem"/> reads.</summary>
    public const int HeadLength = 12;

    /// <summary>The file's safe relative path and kind (parquet, image, manifest), or a sentence naming the file and why it is refused.</summary>
    public static (string? Relative, string? Kind, string? Problem) Check(string? fileName)
    {
        var relative = SafeRelativePath(fileName);
        if (relative is null)
        {
            return (null, null, $"'{fileName}': the name has nothing usable.");
        }

        var extension = Path.GetExtension(relative);
        var kind = extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet"
            : ImageExtensions.Contains(extension) ? "image"
            : ManifestExtensions.Contains(extension) ? "manifest"
            : null;
        return kind is null
            ? (relative, null, $"'{relative}': unsupported file type '{extension}' (parquet, jpg, png, webp, jsonl, csv).")
            : (relative, kind, null);
    }

    /// <summary>A sentence naming the file when its first bytes do not match its kind (or it is empty); null when they do.</summary>
    public static string? ContentProblem(string relative, string kind, ReadOnlySpan<byte> head)
    {
        var problem = kind switch
        {
            "parquet" when !head.StartsWith("PAR1"u8) => "does not start with the parquet magic 'PAR1'",
            "image" when ImageHeaders.SniffContentType(head) is not ("image/jpeg" or "image/png" or "image/webp") => "is not a JPEG, PNG or WEBP image",
            _ when head.Length == 0 => "is empty",
            _ => null,
        };
        return problem is null ? null : $"'{relative}' {problem}; it was not saved.";
    }

    /// <summary>A relative path of safe segments (letters, digits, dot, dash, underscore); no rooted, empty or dot-only segment. Null when nothing is left.</summary>
    public static string? SafeRelativePath(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var segments = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => UnsafeCharacters().Replace(s, "_"))
            .Select(s => s.Length > 120 ? s[^120..] : s)
            .Where(s => s.Trim('.').Length > 0)
            .ToList();
        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeCharacters();
}
