using VqaAspire.Contracts;
using VqaAspire.Api.Datasets;

namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>Which metric a dataset preset is scored with, and the score of one answer under it.</summary>
public static class DatasetMetrics
{
    private static readonly Dictionary<string, DatasetMetric> ByPreset = new(StringComparer.OrdinalIgnoreCase)
    {
        [ColumnPresets.OcrVqa] = DatasetMetric.ExactMatchWithJudge,
        [ColumnPresets.VqaV2] = DatasetMetric.VqaAccuracy,
        [ColumnPresets.TextVqa] = DatasetMetric.VqaAccuracy,
        [ColumnPresets.DocVqa] = DatasetMetric.Anls,
        [ColumnPresets.ChartQa] = DatasetMetric.RelaxedAccuracy,
        [ColumnPresets.ScienceQa] = DatasetMetric.MultipleChoice,
        [ColumnPresets.Ai2d] = DatasetMetric.MultipleChoice,
    };

    /// <summary>The preset's metric; exact match with the judge for OCR-VQA, a missing or an unknown preset.</summary>
    public static DatasetMetric ForPreset(string? preset) =>
        preset is not null && ByPreset.TryGetValue(preset.Trim(), out var metric) ? metric : DatasetMetric.ExactMatchWithJudge;

    /// <summary>
    /// One answer's score in [0, 1] under <paramref name="metric"/>. <paramref name="acceptedAnswers"/> are every
    /// accepted answer (for VQA accuracy, every annotator's, repeats kept); when empty the truth alone is used.
    /// Multiple choice reads the choices from the question's "Choices:" line.
    /// </summary>
    /// <param name="variant">"official" (the default) or the opt-in "lenient" (<see cref="MetricVariants.Lenient"/>).</param>
    public static double Score(DatasetMetric metric, string prediction, string truth, IReadOnlyList<string> acceptedAnswers, string question,
        string variant = MetricVariants.Official)
    {
        IReadOnlyList<string> accepted = acceptedAnswers.Count > 0 ? acceptedAnswers : [truth];
        var lenient = variant == MetricVariants.Lenient;
        Func<string, string> normalize = lenient ? VqaAnswerNormalizer.NormalizeLenient : VqaAnswerNormalizer.Normalize;
        return metric switch
        {
            DatasetMetric.VqaAccuracy => VqaAccuracy.Score(prediction, accepted, normalize),
            DatasetMetric.Anls => DocVqaAnls.Score(prediction, accepted),
            DatasetMetric.RelaxedAccuracy => (lenient ? RelaxedAccuracy.IsCorrectLenient(prediction, accepted) : RelaxedAccuracy.IsCorrect(prediction, accepted)) ? 1 : 0,
            DatasetMetric.MultipleChoice => MultipleChoiceScoring.IsCorrect(prediction, MultipleChoiceScoring.ChoicesFromQuestion(question), truth) ? 1 : 0,
            _ => AcceptedAnswerMatch.IsMatch(prediction, truth, acceptedAnswers, normalize) ? 1 : 0,
        };
    }

    /// <summary>True when the lenient variant has rules of its own for this metric (ANLS and multiple choice have none).</summary>
    public static bool HasLenientVariant(DatasetMetric metric) => metric is DatasetMetric.VqaAccuracy or DatasetMetric.RelaxedAccuracy or DatasetMetric.ExactMatchWithJudge;
}
