using System.ComponentModel.DataAnnotations;

namespace VqaAspire.Api.Datasets;

/// <summary>How datasets are imported and uploaded (section <c>Datasets</c>).</summary>
public sealed class DatasetOptions
{
    public const string SectionName = "Datasets";

    /// <summary>Import the synthetic sample at start when no dataset exists.</summary>
    public bool SeedSample { get; set; } = true;

    /// <summary>Largest upload accepted, in bytes (all files of one request together).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Problems kept in a dataset's report; the count covers all of them.</summary>
    [Range(1, 100_000)]
    public int MaxReportedProblems { get; set; } = 200;
}
