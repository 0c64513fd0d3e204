using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>A registered dataset: what lists show, plus what the import needs again (column overrides, sample sizes, Hub id).</summary>
public sealed record DatasetEntry(DatasetSummary Summary, ColumnOverrides? Columns, SampleOptions? Sample = null, string? HuggingFaceId = null);
