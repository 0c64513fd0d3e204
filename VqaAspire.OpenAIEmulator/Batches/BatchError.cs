namespace VqaAspire.OpenAIEmulator.Batches;

public sealed record BatchError(string Code, string Message, string? Param, int? Line);
