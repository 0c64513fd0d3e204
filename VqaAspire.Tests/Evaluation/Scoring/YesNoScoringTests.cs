using VqaAspire.Api.Evaluation.Scoring;

namespace VqaAspire.Tests.Evaluation.Scoring;

[Trait("Category", "Unit")]
public sealed class YesNoScoringTests
{
    [Theory]
    [InlineData("Yes", YesNoAnswer.Yes)]
    [InlineData("yes.", YesNoAnswer.Yes)]
    [InlineData("**No**", YesNoAnswer.No)]
    [InlineData("No, it is not.", YesNoAnswer.No)]
    [InlineData("Yes, there is no subtitle", YesNoAnswer.Yes)]
    [InlineData("The answer is no", YesNoAnswer.No)]
    [InlineData("I cannot tell from the image.", YesNoAnswer.Unknown)]
    [InlineData("Not sure", YesNoAnswer.Unknown)]
    [InlineData("No idea", YesNoAnswer.Unknown)]
    [InlineData("Yes and no", YesNoAnswer.Unknown)]
    [InlineData("Maybe yes", YesNoAnswer.Unknown)]
    [InlineData("", YesNoAnswer.Unknown)]
    public void ExtractsTheAnswersYesNoWord(string answer, YesNoAnswer expected)
    {
        Assert.Equal(expected, YesNoScoring.Extract(answer));
    }

    [Fact]
    public void ARefusalIsWrongWhereTheNotebooksRuleCountsItAsNo()
    {
        const string refusal = "I cannot tell from the image.";

        Assert.True(YesNoScoring.IsCorrectByNotebookRule(refusal, "No"));
        Assert.False(YesNoScoring.IsCorrect(refusal, "No"));
        Assert.False(YesNoScoring.IsCorrect(refusal, "Yes"));
        Assert.True(YesNoScoring.IsCorrect("No.", "No"));
    }

    [Fact]
    public void ReportCountsUnknownAsWrongButNeitherYesNorNo()
    {
        // Truth Yes x4, No x3. Read as: Yes, Yes, No, Unknown | No, Unknown, Yes.
        var report = YesNoScoring.Report(
        [
            ("Yes.", "Yes"),
            ("yes, the title is visible", "Yes"),
            ("No", "Yes"),
            ("I cannot tell from the image.", "Yes"),
            ("No.", "No"),
            ("I cannot tell from the image.", "No"),
            ("Yes", "No"),
            ("Stephen King", "Stephen King"), // not a yes/no truth: skipped
        ]);

        Assert.Equal((7, 4, 3, 2, 2), (report.Count, report.TruthYes, report.PredictedYes, report.PredictedNo, report.Unknown));
        Assert.Equal(4.0 / 7, report.TruthYesShare!.Value, 10);
        Assert.Equal(4.0 / 7, report.MajorityClassAccuracy!.Value, 10);
        // Right: rows 1, 2 and 5. The notebook's rule also takes row 6 ("no" inside "cannot").
        Assert.Equal(3.0 / 7, report.Accuracy!.Value, 10);
        Assert.Equal(4.0 / 7, report.NotebookAccuracy!.Value, 10);
        // Yes positive: TP 2 (rows 1-2), FP 1 (row 7), FN 2 (row 3, and row 4's Unknown).
        Assert.Equal(2.0 / 3, report.Precision!.Value, 10);
        Assert.Equal(0.5, report.Recall!.Value, 10);
        Assert.Equal(4.0 / 7, report.F1!.Value, 10); // 2 (2/3)(1/2) / (2/3 + 1/2)
    }

    [Fact]
    public void ReportWithoutAPredictedYesHasNoPrecision()
    {
        var report = YesNoScoring.Report([("No", "No"), ("No", "No"), ("No", "Yes")]);

        Assert.Null(report.Precision);
        Assert.Null(report.F1);
        Assert.Equal(0.0, report.Recall);
        Assert.Equal(2.0 / 3, report.MajorityClassAccuracy!.Value, 10);
        Assert.Null(YesNoScoring.Report([]).Accuracy);
    }
}
