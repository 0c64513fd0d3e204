using VqaAspire.Api.Datasets.Manifest;
using VqaAspire.Api.Datasets.Parquet;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>Opens the source behind an imported dataset, from its registry entry and its files in the workspace.</summary>
public sealed class DatasetSourceResolver(DatasetRegistry registry, WorkspaceStorage workspace) : IDatasetSourceResolver
{
    /// <summary>The source of a dataset whose import finished (status ready); null when there is none or it is not ready.</summary>
    public async Task<IVqaSource?> OpenAsync(string datasetId, CancellationToken cancellationToken)
    {
        var entry = await registry.GetAsync(datasetId);
        return entry is { Summary.Status: DatasetStatuses.Ready } ? Open(entry) : null;
    }

    /// <summary>The source an entry describes, whatever its status (the importer opens it before it is ready).</summary>
    public ScannableVqaSource Open(DatasetEntry entry)
    {
        var summary = entry.Summary;
        var location = workspace.Resolve(summary.Location);
        if (summary.Source == DatasetSourceKinds.Manifest)
        {
            return ManifestVqaSource.Open(location);
        }

        var (shards, problems) = ParquetVqaSource.FindShards(location);
        if (shards.Count == 0)
        {
            throw new DatasetFormatException($"No parquet shards named by split (data/train-*.parquet, data/validation-*.parquet, data/test-*.parquet) under '{summary.Location}'.");
        }

        return new ParquetVqaSource(shards, ColumnPresets.Get(summary.Preset).With(entry.Columns), problems);
    }
}
