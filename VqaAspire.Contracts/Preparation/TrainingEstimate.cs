namespace VqaAspire.Contracts;

/// <summary>The cost of a fine-tune before spending: billed tokens times epochs times the model's training price.</summary>
public sealed record TrainingEstimate(
    string Model,
    int TrainingExamples,
    long BilledTokensPerEpoch,
    int Epochs,
    bool EpochsAuto,
    long TrainedTokens,
    decimal? TrainingPricePerMillion,
    decimal? EstimatedCostUsd,
    long ValidationTokens);
