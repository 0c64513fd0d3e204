namespace VqaAspire.Contracts;

public sealed record FineTuneCheckpoint(string Id, string Model, int Step, DateTimeOffset CreatedAt, double? TrainLoss, double? ValidLoss, double? TrainAccuracy);
