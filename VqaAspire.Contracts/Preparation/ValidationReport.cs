namespace VqaAspire.Contracts;

/// <summary>Pre-flight validation of one JSONL file by OpenAI's rules for vision training files.</summary>
/// <param name="BilledTokens">Tokens OpenAI bills per epoch: each example's count, capped at the per-example limit.</param>
public sealed record ValidationReport(
    int Lines,
    int ValidLines,
    int Images,
    int TokensMin,
    double TokensMean,
    int TokensMax,
    long TokensTotal,
    long BilledTokens,
    int LinesOverTokenLimit,
    IReadOnlyList<ValidationError> Errors,
    int ErrorCount,
    IReadOnlyList<string> FileErrors)
{
    public bool IsValid => ErrorCount == 0 && FileErrors.Count == 0;
}
