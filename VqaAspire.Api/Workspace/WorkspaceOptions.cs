using System.ComponentModel.DataAnnotations;

namespace VqaAspire.Api.Workspace;

/// <summary>Where the workspace is (section <c>Workspace</c>).</summary>
public sealed class WorkspaceOptions
{
    public const string SectionName = "Workspace";

    /// <summary>Folder for bulk artifacts (datasets, JSONL, predictions, reports). A volume when deployed.</summary>
    [Required]
    public string Root { get; set; } = Path.Combine(AppContext.BaseDirectory, "workspace");
}
