namespace VqaAspire.Contracts;

/// <summary>A page of <c>GET /api/datasets/{id}/examples</c>.</summary>
/// <param name="HasMore">True when examples follow this page.</param>
public sealed record DatasetExamplePage(string DatasetId, string Split, string? Kind, int Offset, int Limit, bool HasMore, IReadOnlyList<DatasetExample> Examples);
