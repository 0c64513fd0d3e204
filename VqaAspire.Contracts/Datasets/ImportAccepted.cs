namespace VqaAspire.Contracts;

/// <summary>What <c>POST /api/datasets</c> answers (202): the id to follow at <c>/api/datasets/{id}</c>.</summary>
public sealed record ImportAccepted(string Id, string Status, string Location);
