using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation.Scoring;

namespace VqaAspire.Tests.Evaluation.Scoring;

[Trait("Category", "Unit")]
public sealed class DatasetMetricsTests
{
    [Theory]
    [InlineData("vqav2", DatasetMetric.VqaAccuracy)]
    [InlineData("TextVQA", DatasetMetric.VqaAccuracy)]
    [InlineData("docvqa", DatasetMetric.Anls)]
    [InlineData("chartqa", DatasetMetric.RelaxedAccuracy)]
    [InlineData("scienceqa", DatasetMetric.MultipleChoice)]
    [InlineData("ai2d", DatasetMetric.MultipleChoice)]
    [InlineData("ocr-vqa", DatasetMetric.ExactMatchWithJudge)]
    [InlineData("someone-elses", DatasetMetric.ExactMatchWithJudge)]
    [InlineData(null, DatasetMetric.ExactMatchWithJudge)]
    public void EachPresetIsScoredAsItsBenchmarkReports(string? preset, DatasetMetric expected)
    {
        Assert.Equal(expected, DatasetMetrics.ForPreset(preset));
    }

    [Fact]
    public void EveryKnownPresetHasAMetric()
    {
        // A preset added without a metric would silently fall back to exact match.
        var unmapped = ColumnPresets.Names.Where(p => p != ColumnPresets.OcrVqa && DatasetMetrics.ForPreset(p) == DatasetMetric.ExactMatchWithJudge);

        Assert.Empty(unmapped);
    }

    [Fact]
    public void ScoreAppliesTheMetric()
    {
        Assert.Equal(1.0, DatasetMetrics.Score(DatasetMetric.MultipleChoice, "B", "dog", [], "Which?\nChoices: cat; dog; bird"));
        Assert.Equal(0.0, DatasetMetrics.Score(DatasetMetric.Anls, "ab", "ac", [], "Which?"));
        Assert.Equal(1.0, DatasetMetrics.Score(DatasetMetric.RelaxedAccuracy, "52", "50", [], "How many?"));
        Assert.Equal(0.3, DatasetMetrics.Score(DatasetMetric.VqaAccuracy, "red", "blue", ["red", .. Enumerable.Repeat("blue", 9)], "Colour?"), 10);
        Assert.Equal(1.0, DatasetMetrics.Score(DatasetMetric.ExactMatchWithJudge, "The J.K. Rowling.", "Joanne Rowling", ["J.K. Rowling"], "Who?"));
    }

    [Fact]
    public void EveryPresetScoredByVqaAccuracyKeepsItsAnnotatorsAnswersAtImport()
    {
        // The import keeps repeats only for these presets; a preset scored by VQA accuracy without them would undercount.
        foreach (var preset in ColumnPresets.Names)
        {
            Assert.True(ColumnPresets.KeepsAnnotatorRepeats(preset) == (DatasetMetrics.ForPreset(preset) == DatasetMetric.VqaAccuracy), preset);
        }
    }
}
