using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Scoring;

/// <summary>
/// The opt-in lenient variant (<c>metricVariant: "lenient"</c>): each of its rules against the official metric, which
/// stays the default, and the variant named with the metric wherever the score is shown.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class LenientMetricVariantTests
{
    [Theory]
    [InlineData("1,234", "1234")] // Thousands commas: Python's float() refuses them.
    [InlineData("12.5.", "12.5")] // A trailing period after the number.
    [InlineData(" Yes ", "Yes")] // Surrounding spaces on a text: the official comparison trims nothing.
    [InlineData("0.0", "0")] // Any zero for a truth of 0: the official falls to the text comparison.
    [InlineData("45%", "45")] // A percentage as written: the official reads 45% as 0.45.
    public void ChartQaLenientRulesAcceptWhatTheOfficialRelaxedAccuracyRefuses(string prediction, string truth)
    {
        Assert.False(RelaxedAccuracy.IsCorrect(prediction, truth));
        Assert.True(RelaxedAccuracy.IsCorrectLenient(prediction, truth));
        Assert.Equal(0, DatasetMetrics.Score(DatasetMetric.RelaxedAccuracy, prediction, truth, [truth], "q"));
        Assert.Equal(1, DatasetMetrics.Score(DatasetMetric.RelaxedAccuracy, prediction, truth, [truth], "q", MetricVariants.Lenient));
    }

    [Fact]
    public void ChartQaLenientKeepsTheFivePercentToleranceAndAZeroTruthStillNeedsZero()
    {
        Assert.True(RelaxedAccuracy.IsCorrectLenient("1,049", "1000"));
        Assert.False(RelaxedAccuracy.IsCorrectLenient("1,051", "1000"));
        Assert.False(RelaxedAccuracy.IsCorrectLenient("0.01", "0"));
    }

    [Theory]
    [InlineData("Im", "I'm", "im", "i'm")]
    [InlineData("Ive", "I've", "ive", "i've")]
    [InlineData("shes", "she's", "shes", "she's")]
    public void TheLenientVariantRestoresTheContractionsTheOfficialTableNeverMatches(string prediction, string annotator, string official, string lenient)
    {
        Assert.Equal(official, VqaAnswerNormalizer.Normalize(prediction));
        Assert.Equal(lenient, VqaAnswerNormalizer.NormalizeLenient(prediction));
        string[] annotators = [.. Enumerable.Repeat(annotator, 10)];
        Assert.Equal(0, DatasetMetrics.Score(DatasetMetric.VqaAccuracy, prediction, annotator, annotators, "q"));
        Assert.Equal(1, DatasetMetrics.Score(DatasetMetric.VqaAccuracy, prediction, annotator, annotators, "q", MetricVariants.Lenient));
    }

    [Fact]
    public void TheLenientVariantClosesUpSpacedInitialsForExactMatchAndVqaAccuracy()
    {
        Assert.Equal(("j k rowling", "jk rowling"), (VqaAnswerNormalizer.Normalize("J. K. Rowling"), VqaAnswerNormalizer.Normalize("J.K. Rowling")));
        Assert.Equal("jk rowling", VqaAnswerNormalizer.NormalizeLenient("J. K. Rowling"));
        Assert.Equal(0, DatasetMetrics.Score(DatasetMetric.ExactMatchWithJudge, "J. K. Rowling", "J.K. Rowling", ["J.K. Rowling"], "Who wrote this book?"));
        Assert.Equal(1, DatasetMetrics.Score(DatasetMetric.ExactMatchWithJudge, "J. K. Rowling", "J.K. Rowling", ["J.K. Rowling"], "Who wrote this book?", MetricVariants.Lenient));
        // Initials alone are closed up; an ordinary sentence's period is not touched.
        Assert.Equal("x y z", VqaAnswerNormalizer.NormalizeLenient("X. Y z"));
    }

    [Fact]
    public void TheVariantIsNamedWithTheMetricWhereItChangesItAndOfficialIsTheDefault()
    {
        Assert.Equal(MetricVariants.Official, new EvaluationRequest().MetricVariant);
        Assert.Equal("Relaxed accuracy", DatasetMetricNames.Of(DatasetMetric.RelaxedAccuracy, MetricVariants.Official));
        Assert.Equal("Relaxed accuracy (lenient variant, not the official metric)", DatasetMetricNames.Of(DatasetMetric.RelaxedAccuracy, MetricVariants.Lenient));
        Assert.Equal("Exact match (lenient variant, not the official metric)", DatasetMetricNames.Of(DatasetMetric.ExactMatchWithJudge, MetricVariants.Lenient));
        // ANLS has no lenient rule: its name stays.
        Assert.Equal("ANLS", DatasetMetricNames.Of(DatasetMetric.Anls, MetricVariants.Lenient));
        Assert.Equal("metricVariant", Assert.Single(EvaluationRequestRules.Check(new EvaluationRequest(MetricVariant: "loose"))).Field);
    }

    [Fact]
    public void ALenientSummaryNamesItsVariantInTheMetricTheReadingAndTheField()
    {
        var examples = Enumerable.Range(0, 4).Select(i => new TestExample(i + 1, $"cover{i}", "What is the total?", "1234", ["1234"], "Number", null)).ToList();
        var results = examples.Select(e => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, null,
            [new ModelAnswer("base", "1234", null, null, true, 1, null), new ModelAnswer("fine-tuned", "1,234", null, null, false, 0, null)])).ToList();
        EvaluationModel[] models = [new("base", "m1"), new("fine-tuned", "m2")];

        var official = EvaluationSummarizer.Summarize(examples, results, models, "chartqa", Api.Evaluation.Provenance.EvaluationProvenance.Uniform(models, false, "judge"));
        var lenient = EvaluationSummarizer.Summarize(examples, results, models, "chartqa", Api.Evaluation.Provenance.EvaluationProvenance.Uniform(models, false, "judge"),
            MetricVariants.Lenient);

        Assert.Equal(("Relaxed accuracy", MetricVariants.Official, -100.0), (official.Metric, official.MetricVariant, official.Headline!.Points));
        Assert.Equal(("Relaxed accuracy (lenient variant, not the official metric)", MetricVariants.Lenient, 0.0), (lenient.Metric, lenient.MetricVariant, lenient.Headline!.Points));
        Assert.Contains("on Relaxed accuracy (lenient variant, not the official metric)", lenient.Reading);
    }
}
