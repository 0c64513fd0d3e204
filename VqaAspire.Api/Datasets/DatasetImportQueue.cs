using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Datasets;

/// <summary>The bounded queue between the endpoints and the import worker; a full queue refuses the import.</summary>
public sealed class DatasetImportQueue() : WorkQueue<ImportJob>(capacity: 64);
