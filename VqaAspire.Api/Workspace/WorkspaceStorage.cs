namespace VqaAspire.Api.Workspace;

/// <summary>
/// The workspace folder. Every path the api builds from user input goes through <see cref="Resolve"/>,
/// so nothing reads or writes outside it.
/// </summary>
public sealed class WorkspaceStorage
{
    public WorkspaceStorage(Microsoft.Extensions.Options.IOptions<WorkspaceOptions> options)
    {
        Root = Path.GetFullPath(options.Value.Root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The full path of a workspace-relative path; throws <see cref="WorkspacePathException"/> when it escapes the workspace.</summary>
    public string Resolve(params string[] relativeParts)
    {
        foreach (var part in relativeParts)
        {
            if (Path.IsPathRooted(part))
            {
                throw new WorkspacePathException($"'{part}' is an absolute path; workspace paths are relative.");
            }
        }

        var full = Path.GetFullPath(Path.Combine([Root, .. relativeParts]));
        if (!IsInside(Root, full) || !LinksStayInside(Root, full))
        {
            throw new WorkspacePathException($"'{Path.Combine(relativeParts)}' leads outside the workspace.");
        }

        return full;
    }

    /// <summary>
    /// True when no symbolic link on the way from <paramref name="root"/> to <paramref name="fullPath"/> (a full path
    /// inside it) points outside <paramref name="root"/>. Parts that do not exist yet (a file to write, a glob) pass.
    /// </summary>
    public static bool LinksStayInside(string root, string fullPath)
    {
        var realRoot = FinalTarget(root);
        var current = root;
        foreach (var segment in Path.GetRelativePath(root, fullPath).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo entry = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (entry.LinkTarget is null)
            {
                if (!entry.Exists)
                {
                    return true;
                }

                continue;
            }

            var target = FinalTarget(current);
            if (!IsInside(root, target) && !IsInside(realRoot, target))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInside(string root, string full)
    {
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full == root || full.StartsWith(rootWithSeparator, StringComparison.Ordinal);
    }

    /// <summary>Where a path ends up once its own link (if any) is followed to the end.</summary>
    private static string FinalTarget(string path)
    {
        FileSystemInfo entry = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        return entry.LinkTarget is null ? path : Path.GetFullPath(entry.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path);
    }

    /// <summary>Creates (if needed) and returns a folder inside the workspace.</summary>
    public string Folder(params string[] relativeParts)
    {
        var path = Resolve(relativeParts);
        Directory.CreateDirectory(path);
        return path;
    }
}
