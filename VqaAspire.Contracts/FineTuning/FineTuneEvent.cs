namespace VqaAspire.Contracts;

public sealed record FineTuneEvent(string Id, DateTimeOffset CreatedAt, string Level, string Type, string Message);
