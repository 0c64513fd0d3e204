namespace VqaAspire.Api.Evaluation;

/// <summary>One test line still to ask: its line number, its chat messages as JSON, and a token estimate for the limiter.</summary>
public sealed record PendingRequest(int Line, byte[] Messages, int EstimatedTokens);
