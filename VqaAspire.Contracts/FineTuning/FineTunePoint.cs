namespace VqaAspire.Contracts;

/// <summary>One training step's metrics: from metrics events while the job runs, from the result CSV once it ends.</summary>
public sealed record FineTunePoint(int Step, double? TrainLoss, double? TrainAccuracy, double? ValidLoss, double? ValidAccuracy);
