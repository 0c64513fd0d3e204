namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>How each dataset metric is named in the results.</summary>
public static class DatasetMetricNames
{
    public static string Of(DatasetMetric metric) => metric switch
    {
        DatasetMetric.VqaAccuracy => "VQA accuracy",
        DatasetMetric.Anls => "ANLS",
        DatasetMetric.RelaxedAccuracy => "Relaxed accuracy",
        DatasetMetric.MultipleChoice => "Multiple-choice accuracy",
        _ => "Exact match",
    };
}
