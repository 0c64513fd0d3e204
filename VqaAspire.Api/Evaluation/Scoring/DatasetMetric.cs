namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>The metric a dataset is scored with, as its benchmark reports it.</summary>
public enum DatasetMetric
{
    /// <summary>Exact match against every accepted answer, with the LLM judge beside it (OCR-VQA, an unknown dataset).</summary>
    ExactMatchWithJudge,

    /// <summary>VQA accuracy over the annotators' answers (VQAv2, TextVQA).</summary>
    VqaAccuracy,

    /// <summary>ANLS (DocVQA).</summary>
    Anls,

    /// <summary>Relaxed accuracy, 5% on numbers (ChartQA).</summary>
    RelaxedAccuracy,

    /// <summary>The right choice named by letter or text (ScienceQA, AI2D).</summary>
    MultipleChoice,
}
