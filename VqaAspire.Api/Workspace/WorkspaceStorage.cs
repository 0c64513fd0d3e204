namespace VqaAspire.Api.Workspace;

public sealed class WorkspaceOptions
{
    public const string SectionName = "Workspace";

    /// <summary>Folder for bulk artifacts (datasets, JSONL, predictions, reports). A volume when deployed.</summary>
    public string Root { get; set; } = Path.Combine(AppContext.BaseDirectory, "workspace");
}

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
        var rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal) && full != Root)
        {
            throw new WorkspacePathException($"'{Path.Combine(relativeParts)}' leads outside the workspace.");
        }

        return full;
    }

    /// <summary>Creates (if needed) and returns a folder inside the workspace.</summary>
    public string Folder(params string[] relativeParts)
    {
        var path = Resolve(relativeParts);
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>A path given to the api that would leave the workspace. Endpoints answer it with 400.</summary>
public sealed class WorkspacePathException(string message) : Exception(message);
