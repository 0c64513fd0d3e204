namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>How each dataset metric is named in the results.</summary>
public static class DatasetMetricNames
{
    /// <summary>The metric's name, with the lenient variant named when it was asked and has rules for this metric: "Relaxed accuracy (lenient variant)".</summary>
    public static string Of(DatasetMetric metric, string? variant) =>
        variant == Contracts.MetricVariants.Lenient && DatasetMetrics.HasLenientVariant(metric) ? $"{Of(metric)} ({LenientSuffix})" : Of(metric);

    public const string LenientSuffix = "lenient variant, not the official metric";

    public static string Of(DatasetMetric metric) => metric switch
    {
        DatasetMetric.VqaAccuracy => "VQA accuracy",
        DatasetMetric.Anls => "ANLS",
        DatasetMetric.RelaxedAccuracy => "Relaxed accuracy",
        DatasetMetric.MultipleChoice => "Multiple-choice accuracy",
        _ => "Exact match",
    };
}
