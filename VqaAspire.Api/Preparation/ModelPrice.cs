namespace VqaAspire.Api.Preparation;

/// <summary>A model's prices in US dollars per million tokens.</summary>
public sealed record ModelPrice
{
    public decimal? TrainingPerMillion { get; init; }
    public decimal InputPerMillion { get; init; }
    public decimal OutputPerMillion { get; init; }
    public decimal? FineTunedInputPerMillion { get; init; }
    public decimal? FineTunedOutputPerMillion { get; init; }

    public bool IsNegative =>
        TrainingPerMillion < 0 || InputPerMillion < 0 || OutputPerMillion < 0 || FineTunedInputPerMillion < 0 || FineTunedOutputPerMillion < 0;
}
