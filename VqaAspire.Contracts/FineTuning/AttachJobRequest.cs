namespace VqaAspire.Contracts;

/// <summary>Attach a run to a job created elsewhere: <c>POST /api/runs/{id}/fine-tune/attach</c>.</summary>
public sealed record AttachJobRequest(string JobId);
