using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets;

/// <summary>An import to run. The token lives only here, in memory, for the download.</summary>
public sealed record ImportJob(string DatasetId, string? HuggingFaceToken = null, SampleOptions? Sample = null);
