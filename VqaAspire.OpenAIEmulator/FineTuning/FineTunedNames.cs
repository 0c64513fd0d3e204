namespace VqaAspire.OpenAIEmulator.FineTuning;

/// <summary>Fine-tuned model names: OpenAI's <c>ft:BASE:org:suffix:id</c> and Azure's <c>BASE.ft-JOBID</c>.</summary>
public static class FineTunedNames
{
    private const string AzureMarker = ".ft-";

    /// <summary>
    /// Azure names a fine-tuned model <c>base-model.ft-{jobid}</c> (Azure's fine-tuning REST article); the suffix,
    /// when given, is appended after a dash.
    /// </summary>
    public static string Azure(string baseModel, string jobId, string? suffix) =>
        $"{baseModel}{AzureMarker}{jobId["ftjob-".Length..]}{(string.IsNullOrEmpty(suffix) ? "" : "-" + suffix)}";

    /// <summary>The base snapshot of a fine-tuned model name; any other name unchanged.</summary>
    public static string BaseOf(string model) =>
        model.StartsWith("ft:", StringComparison.Ordinal) ? model.Split(':')[1]
        : model.IndexOf(AzureMarker, StringComparison.Ordinal) is > 0 and var at ? model[..at]
        : model;
}
